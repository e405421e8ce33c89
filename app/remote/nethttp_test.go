//go:build !(js && wasm)

package remote_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

	"doorstep/app/remote"
)

// TestHTTPUndoesEncodings checks the net/http Doer asks for the encodings a
// browser accepts and hands back each answer decoded, with its headers, as
// fetch does.
func TestHTTPUndoesEncodings(t *testing.T) {
	const plain = `{"protocol":1,"cursor":"42"}`
	encoders := map[string]func(w io.Writer) io.WriteCloser{
		"":     nil,
		"gzip": func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) },
		"br":   func(w io.Writer) io.WriteCloser { return brotli.NewWriter(w) },
		"zstd": func(w io.Writer) io.WriteCloser { zw, _ := zstd.NewWriter(w); return zw },
	}
	for enc, newWriter := range encoders {
		t.Run("Encoding"+enc, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if got := r.Header.Get("Accept-Encoding"); got != "zstd, br, gzip" {
					t.Errorf("got Accept-Encoding %q", got)
				}
				w.Header().Set("X-Doorstep", "yes")
				if newWriter == nil {
					io.WriteString(w, plain)
					return
				}
				var buf bytes.Buffer
				zw := newWriter(&buf)
				io.WriteString(zw, plain)
				zw.Close()
				w.Header().Set("Content-Encoding", enc)
				w.Write(buf.Bytes())
			}))
			defer srv.Close()
			res, err := remote.HTTP(nil)(context.Background(), remote.Request{Method: "GET", URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			if string(res.Body) != plain || res.Status != 200 || res.Header["x-doorstep"] != "yes" {
				t.Errorf("got %d %q with headers %v, want 200 %q with x-doorstep", res.Status, res.Body, res.Header, plain)
			}
		})
	}
}
