//go:build !(js && wasm)

package remote

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// platformDoer is what a Client without a Doer uses outside the browser.
var platformDoer = HTTP(nil)

// HTTP returns a Doer that sends requests with hc (nil: http.DefaultClient),
// for tests, benchmarks and tools. It does what a browser does: it asks for
// zstd, brotli or gzip answers and undoes them, and it gzips a body the
// request asks to compress.
func HTTP(hc *http.Client) Doer {
	if hc == nil {
		hc = http.DefaultClient
	}
	return func(ctx context.Context, r Request) (Response, error) {
		body := r.Body
		if r.Compress {
			var err error
			if body, err = gzipBytes(body); err != nil {
				return Response{}, err
			}
		}
		var reader io.Reader
		if body != nil {
			reader = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, reader)
		if err != nil {
			return Response{}, fmt.Errorf("new request: %w", err)
		}
		for k, v := range r.Header {
			req.Header.Set(k, v)
		}
		if r.Compress {
			req.Header.Set("Content-Encoding", "gzip")
		}
		// Setting Accept-Encoding turns off net/http's own gzip handling,
		// so each encoding is undone below.
		req.Header.Set("Accept-Encoding", "zstd, br, gzip")
		res, err := hc.Do(req)
		if err != nil {
			return Response{}, err
		}
		defer res.Body.Close()
		data, err := decoded(res)
		if err != nil {
			return Response{}, fmt.Errorf("read answer: %w", err)
		}
		out := Response{Status: res.StatusCode, Header: map[string]string{}, Body: data}
		for k := range res.Header {
			out.Header[strings.ToLower(k)] = res.Header.Get(k)
		}
		return out, nil
	}
}

// decoded reads the whole answer, undoing its Content-Encoding.
func decoded(res *http.Response) ([]byte, error) {
	var r io.Reader = res.Body
	switch res.Header.Get("Content-Encoding") {
	case "zstd":
		zr, err := zstd.NewReader(res.Body, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(8<<20))
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		r = zr
	case "br":
		r = brotli.NewReader(res.Body)
	case "gzip":
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		r = zr
	}
	return io.ReadAll(r)
}

// gzipBytes compresses a request body at gzip's best speed, as a browser's
// CompressionStream does: a phone with a day's outbox sends hundreds of
// kilobytes, and the default level costs three times the time for a tenth
// fewer bytes.
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := requestGzip.Get().(*gzip.Writer)
	defer requestGzip.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, fmt.Errorf("compress request: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress request: %w", err)
	}
	return buf.Bytes(), nil
}

// requestGzip reuses compressors for request bodies.
var requestGzip = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}
