package api

import (
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"doorstep/shared/housing"
)

// webFiles serves the files of the web folder under /web/. Only asset types
// are served, never a dotfile or a file of another kind that happens to sit in
// the folder.
type webFiles struct {
	dir string
}

var webTypes = map[string]bool{
	".css": true, ".js": true, ".json": true, ".webmanifest": true, ".txt": true,
	".wasm": true, ".png": true, ".svg": true, ".ico": true, ".webp": true, ".jpg": true,
	".woff2": true,
}

// serve answers GET and HEAD /web/*. For app.wasm it sends app.wasm.br with
// Content-Encoding br to a browser that accepts brotli, and the raw file to
// one that does not; both vary on Accept-Encoding.
func (w webFiles) serve(c echo.Context) error {
	name := path.Clean("/" + c.Param("*"))[1:]
	if name == "" || !webTypes[path.Ext(name)] || hidden(name) {
		return housing.Errorf(housing.CodeNotFound, "There is nothing at %s.", c.Request().URL.Path)
	}
	return w.serveFile(c, name)
}

func (w webFiles) serveFile(c echo.Context, name string) error {
	file := filepath.Join(w.dir, filepath.FromSlash(name))
	h := c.Response().Header()
	// Revalidate every time: the service worker, not the HTTP cache, keeps
	// the app offline, and a stale file must never reach a new cache.
	h.Set("Cache-Control", "no-cache")
	if name == "app.wasm" {
		h.Add("Vary", "Accept-Encoding")
		if acceptsEncoding(c.Request().Header.Get("Accept-Encoding"), "br") {
			if f, err := os.Open(file + ".br"); err == nil {
				defer f.Close()
				h.Set("Content-Type", "application/wasm")
				h.Set("Content-Encoding", "br")
				return sendFile(c, f, name, "br")
			}
		}
	}
	f, err := os.Open(file)
	if err != nil {
		if os.IsNotExist(err) {
			return housing.Errorf(housing.CodeNotFound, "There is nothing at %s.", c.Request().URL.Path)
		}
		return fmt.Errorf("open web file: %w", err)
	}
	defer f.Close()
	return sendFile(c, f, name, "")
}

// sendFile sends f with an ETag from its size and modification time (and
// encoding), so conditional requests answer 304 until the file changes.
func sendFile(c echo.Context, f *os.File, name, encoding string) error {
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat web file: %w", err)
	}
	if info.IsDir() {
		return housing.Errorf(housing.CodeNotFound, "There is nothing at %s.", c.Request().URL.Path)
	}
	etag := fmt.Sprintf(`"%x-%x`, info.ModTime().UnixNano(), info.Size())
	if encoding != "" {
		etag += "-" + encoding
	}
	c.Response().Header().Set("ETag", etag+`"`)
	if encoding != "" && c.Request().Header.Get("Range") == "" {
		// ServeContent leaves out the length of an encoded body.
		c.Response().Header().Set("Content-Length", strconv.FormatInt(info.Size(), 10))
	}
	http.ServeContent(c.Response(), c.Request(), name, info.ModTime(), f)
	return nil
}

func hidden(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}
