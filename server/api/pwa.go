package api

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/app/ui"
)

// workerTemplate is the service worker; see the promises at its top.
//
//go:embed appworker.js
var workerTemplate string

// Brand colours, the same as web/app.css and the icons.
const (
	themeColor      = "#0b5d4b"
	backgroundColor = "#ffffff"
)

// NewPWA returns go-app's handler for the Doorstep shell: the pages that
// ui.Routes declares, the manifest, app.js and the service worker. The files
// under /web/ are served by the Server itself (web.go), so that app.wasm can
// go out as brotli; the handler only names them.
//
// Its Version is a hash of the files in webDir and of the service worker, so
// it changes exactly when a release changes what the browser caches, and
// browsers are told of an update only then.
func NewPWA(webDir string) (*app.Handler, error) {
	ui.Routes()
	version, err := assetVersion(webDir)
	if err != nil {
		return nil, err
	}
	h := &app.Handler{
		Name:         ui.AppName,
		ShortName:    ui.AppName,
		Title:        ui.AppName,
		Description:  "Log doorstep visits and the promises made to tenants, with or without signal.",
		Lang:         "en-GB",
		LoadingLabel: "Loading Doorstep… {progress}%",
		Icon: app.Icon{
			Default:  "/web/icon-192.png",
			Large:    "/web/icon-512.png",
			Maskable: "/web/icon-maskable-512.png",
			// go-app fills an empty SVG with a remote URL; ours is local.
			SVG: "/web/icon.svg",
		},
		Styles:                []string{"/web/app.css", "/web/review.css", "/web/admin.css"},
		CacheableResources:    []string{"/web/icon.svg"},
		ThemeColor:            themeColor,
		BackgroundColor:       backgroundColor,
		Resources:             webPaths{},
		Version:               version,
		ServiceWorkerTemplate: workerTemplate,
	}
	// The loader shows progress against the uncompressed size, because
	// the browser counts decoded bytes.
	if info, err := os.Stat(filepath.Join(webDir, "app.wasm")); err == nil {
		h.WasmContentLength = strconv.FormatInt(info.Size(), 10)
	}
	return h, nil
}

// webPaths tells go-app that /web/ paths are served as they are named, from
// this origin. It is not an http.Handler, so go-app leaves /web/ to the
// Server.
type webPaths struct{}

func (webPaths) Resolve(location string) string {
	if location == "" {
		return "/"
	}
	return location
}

// assetVersion hashes every served file in dir (names and contents) and the
// service worker template.
func assetVersion(dir string) (string, error) {
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != dir && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && !strings.HasSuffix(name, ".tmp") {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("read web folder: %w", err)
	}
	sort.Strings(names)

	sum := sha256.New()
	io.WriteString(sum, workerTemplate)
	for _, p := range names {
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(sum, "\x00%s\x00", filepath.ToSlash(rel))
		f, err := os.Open(p)
		if err != nil {
			return "", fmt.Errorf("read web folder: %w", err)
		}
		_, err = io.Copy(sum, f)
		f.Close()
		if err != nil {
			return "", fmt.Errorf("read %s: %w", p, err)
		}
	}
	return hex.EncodeToString(sum.Sum(nil)[:12]), nil
}
