package api

import (
	"bufio"
	"compress/gzip"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// gzipMinLength is the size under which a response is not worth compressing.
const gzipMinLength = 1024

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return w
}}

// compressText gzips text responses (HTML, CSS, JavaScript, JSON, the
// manifest, SVG) for clients that accept gzip. It decides when the handler
// writes the header, from the response itself: a response that already has a
// Content-Encoding (app.wasm as brotli, a sync answer the handler compressed),
// a binary type, a partial or bodiless status, or a known length under
// gzipMinLength goes out untouched.
func compressText(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method == http.MethodHead {
			return next(c)
		}
		res := c.Response()
		gw := &gzipWriter{ResponseWriter: res.Writer, accepts: acceptsEncoding(req.Header.Get("Accept-Encoding"), "gzip")}
		// A compressed answer's ETag has a -gzip suffix. Handlers know only
		// their own ETags, so they compare without it, and a 304 gets it back.
		if inm := req.Header.Get("If-None-Match"); strings.Contains(inm, gzipETagSuffix) {
			req.Header.Set("If-None-Match", strings.ReplaceAll(inm, gzipETagSuffix, `"`))
			gw.gzipTag = true
		}
		res.Writer = gw
		defer func() {
			gw.close()
			res.Writer = gw.ResponseWriter
		}()
		return next(c)
	}
}

// gzipETagSuffix ends the ETag of a compressed answer, which is another
// representation than the handler's.
const gzipETagSuffix = `-gzip"`

type gzipWriter struct {
	http.ResponseWriter
	accepts bool
	gzipTag bool // the request's If-None-Match named a compressed answer
	decided bool
	zw      *gzip.Writer
}

func (w *gzipWriter) WriteHeader(status int) {
	if w.decided {
		w.ResponseWriter.WriteHeader(status)
		return
	}
	w.decided = true
	h := w.Header()
	if status == http.StatusNotModified && w.gzipTag {
		tagGzip(h)
	}
	if status == http.StatusOK && h.Get("Content-Encoding") == "" && compressible(h.Get("Content-Type")) {
		h.Add("Vary", "Accept-Encoding")
		n, err := strconv.Atoi(h.Get("Content-Length"))
		if w.accepts && (err != nil || n >= gzipMinLength) {
			h.Del("Content-Length")
			h.Set("Content-Encoding", "gzip")
			tagGzip(h)
			w.zw = gzipWriters.Get().(*gzip.Writer)
			w.zw.Reset(w.ResponseWriter)
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if !w.decided {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.zw != nil {
		return w.zw.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *gzipWriter) Flush() {
	if w.zw != nil {
		w.zw.Flush()
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *gzipWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *gzipWriter) close() {
	if w.zw == nil {
		return
	}
	w.zw.Close()
	w.zw.Reset(nil)
	gzipWriters.Put(w.zw)
	w.zw = nil
}

func tagGzip(h http.Header) {
	if etag := h.Get("ETag"); strings.HasSuffix(etag, `"`) && !strings.HasSuffix(etag, gzipETagSuffix) {
		h.Set("ETag", strings.TrimSuffix(etag, `"`)+gzipETagSuffix)
	}
}

// compressible reports whether a Content-Type is text worth compressing.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	if strings.HasPrefix(mt, "text/") {
		return true
	}
	switch mt {
	case "application/json", "application/javascript", "application/manifest+json",
		"application/xml", "image/svg+xml":
		return true
	}
	return false
}

// acceptsEncoding reports whether an Accept-Encoding header lists coding
// with a quality above zero.
func acceptsEncoding(header, coding string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), coding) {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		if v, ok := strings.CutPrefix(q, "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			return err == nil && f > 0
		}
		return true
	}
	return false
}
