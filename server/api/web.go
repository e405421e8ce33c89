package api

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unicode/utf8"

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
	// The name is taken as sent, not cleaned: "app.css/" or "a//app.css"
	// names no file (webName refuses them), so it must not answer as one.
	name := c.Param("*")
	if !webName(name) {
		return housing.Errorf(housing.CodeNotFound, "There is nothing at %s.", c.Request().URL.Path)
	}
	return w.serveFile(c, name)
}

// webName reports whether name could be a file the server serves: a valid
// slash-separated path (fs.ValidPath) of printable characters with no
// backslash, no part starting with a dot, no part longer than a file name
// may be, and an asset's extension. Anything else is a name no file has, so
// it is not found, rather than an error from the operating system (a NUL
// byte, "file name too long") that would answer 500.
func webName(name string) bool {
	if name == "" || !fs.ValidPath(name) || !webTypes[path.Ext(name)] || hidden(name) {
		return false
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == '\\' || r == utf8.RuneError {
			return false
		}
	}
	for part := range strings.SplitSeq(name, "/") {
		if len(part) > 255 {
			return false
		}
	}
	return true
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
		if notThere(err) {
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

// notThere reports whether an error opening a named file means that no such
// file can be there: missing, or a file where the path needs a folder
// ("app.css/x.png"). Other errors (permissions, a failing disk) are the
// server's own and stay 500s.
func notThere(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) ||
		errors.Is(err, syscall.ENAMETOOLONG) || errors.Is(err, syscall.EINVAL)
}
