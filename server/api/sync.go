package api

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/labstack/echo/v4"

	"doorstep/shared/housing"
)

// SyncHandler serves POST /api/v1/sync: one round trip that pushes a
// device's mutations and pulls the changes in its scope (docs/sync-protocol.md).
// Bodies may come gzip-compressed (Content-Encoding: gzip) and answers are
// compressed when the device accepts it. The limit on a body,
// housing.MaxRequestBytes, applies after decompression, so a small
// compressed body cannot expand without bound.
type SyncHandler struct {
	Service housing.SyncService
	// Principal returns the signed-in device making the request; the
	// session middleware has run before the handler.
	Principal func(c echo.Context) (housing.Principal, error)
}

// SyncPath is the sync route.
const SyncPath = "/api/v1/sync"

// Register adds the sync route to e behind mw (the session middleware).
func (h *SyncHandler) Register(e *echo.Echo, mw ...echo.MiddlewareFunc) {
	e.POST(SyncPath, h.sync, mw...)
}

// gapBody is the answer to a batch that skipped mutation numbers: the usual
// error body plus the number the server holds, so the device resends from
// last_mutation+1.
type gapBody struct {
	Code         string `json:"code"`
	Message      string `json:"message"`
	LastMutation int64  `json:"last_mutation"`
}

func (h *SyncHandler) sync(c echo.Context) error {
	p, err := h.Principal(c)
	if err != nil {
		return err
	}
	req, err := readSyncRequest(c.Request())
	if err != nil {
		return err
	}
	resp, err := h.Service.Sync(c.Request().Context(), p, req)
	if housing.ErrorCode(err) == housing.CodeGap {
		body, err := json.Marshal(gapBody{Code: housing.CodeGap, Message: housing.ErrorMessage(err), LastMutation: resp.LastMutation})
		if err != nil {
			return err
		}
		return writeCompressed(c, http.StatusConflict, body)
	} else if err != nil {
		return err
	}
	body, err := encodeSyncResponse(resp)
	if err != nil {
		return err
	}
	return writeCompressed(c, http.StatusOK, body)
}

// encodeSyncResponse is json.Marshal(r), byte for byte, without the cost
// of re-validating every record's JSON: json.Marshal checks and compacts
// each json.RawMessage, which is most of the work for a page of 500
// records, and the records come from the store already compact (each was
// made by json.Marshal).
func encodeSyncResponse(r housing.SyncResponse) ([]byte, error) {
	changes := r.Changes
	r.Changes = nil
	head, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(len(head) + 64*len(changes))
	b.WriteByte('[')
	for i, ch := range changes {
		data := ch.Data
		ch.Data = nil
		meta, err := json.Marshal(ch)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		if len(data) == 0 {
			b.Write(meta)
			continue
		}
		b.Write(meta[:len(meta)-1])
		b.WriteString(`,"data":`)
		b.Write(data)
		b.WriteByte('}')
	}
	b.WriteByte(']')
	if changes == nil {
		return head, nil
	}
	// A string value cannot hold "changes":null with bare quotes, so the
	// only match is the field itself.
	return bytes.Replace(head, []byte(`"changes":null`), append([]byte(`"changes":`), b.Bytes()...), 1), nil
}

// errBodyTooLarge stops reading a body past its limit.
var errBodyTooLarge = errors.New("body over limit")

// cappedReader reads at most n bytes and then fails with errBodyTooLarge, so an
// oversize body is told from a damaged one.
type cappedReader struct {
	r io.Reader
	n int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		var one [1]byte
		if k, _ := c.r.Read(one[:]); k > 0 {
			return 0, errBodyTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	k, err := c.r.Read(p)
	c.n -= int64(k)
	return k, err
}

// readSyncRequest decodes a sync request body, plain or gzip-compressed.
// Every failure is a *housing.Error the device can act on: CodeTooLarge
// over the limit, CodeInvalid for anything unreadable.
func readSyncRequest(r *http.Request) (housing.SyncRequest, error) {
	var req housing.SyncRequest
	tooLarge := housing.Errorf(housing.CodeTooLarge, "The sync request is over %d MB; send fewer changes at a time.", housing.MaxRequestBytes>>20)
	var body io.Reader = &cappedReader{r: r.Body, n: housing.MaxRequestBytes}
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(body)
		if errors.Is(err, errBodyTooLarge) {
			return req, tooLarge
		} else if err != nil {
			return req, housing.Errorf(housing.CodeInvalid, "The request says it is gzip-compressed but is not.")
		}
		defer zr.Close()
		body = &cappedReader{r: zr, n: housing.MaxRequestBytes}
	default:
		return req, housing.Errorf(housing.CodeInvalid, "Send the request plain or gzip-compressed, not %q.", enc)
	}
	data, err := io.ReadAll(body)
	if errors.Is(err, errBodyTooLarge) {
		return req, tooLarge
	} else if err != nil {
		return req, housing.Errorf(housing.CodeInvalid, "The request body could not be read whole; send it again.")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&req); err != nil {
		return req, housing.Errorf(housing.CodeInvalid, "The request is not a sync request: %s.", syncJSONProblem(err))
	}
	if dec.More() {
		return req, housing.Errorf(housing.CodeInvalid, "The request has data after its end.")
	}
	return req, nil
}

// syncJSONProblem says what was wrong with a body in words safe to show: the
// field and type for a type error, "malformed JSON" otherwise.
func syncJSONProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return "the field " + te.Field + " has the wrong type"
	}
	return "malformed JSON"
}

// syncGzipWriters reuses compressors: each one holds about a megabyte of
// tables, too much to allocate per response.
var syncGzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}

// gzipAnswerOver is the size above which answers are compressed; smaller ones
// gain nothing.
const gzipAnswerOver = 1024

// writeCompressedJSON sends v as JSON, gzip-compressed when it is worth it
// and the request accepts it.
func writeCompressedJSON(c echo.Context, status int, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return writeCompressed(c, status, data)
}

// writeCompressed sends a JSON body, gzip-compressed when it is worth it
// and the request accepts it. It compresses at gzip's best speed: a pull's
// page is CPU-bound on a small server with many phones, and the best
// compression would cost twice the time for about an eighth fewer bytes.
func writeCompressed(c echo.Context, status int, data []byte) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	h.Set("Cache-Control", "no-store")
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	accept := c.Request().Header.Get(echo.HeaderAcceptEncoding)
	if len(data) <= gzipAnswerOver {
		return c.Blob(status, echo.MIMEApplicationJSON, data)
	}
	var buf bytes.Buffer
	switch {
	case acceptsEncoding(accept, "br"):
		// Brotli at quality 4 costs about what gzip's best speed does and
		// sends about a quarter fewer bytes of JSON: a fresh phone's first
		// pull is the biggest thing it downloads after the app itself.
		h.Set(echo.HeaderContentEncoding, "br")
		bw := brotli.NewWriterLevel(&buf, 4)
		if _, err := bw.Write(data); err != nil {
			return err
		}
		if err := bw.Close(); err != nil {
			return err
		}
	case acceptsEncoding(accept, "gzip"):
		h.Set(echo.HeaderContentEncoding, "gzip")
		zw := syncGzipWriters.Get().(*gzip.Writer)
		defer syncGzipWriters.Put(zw)
		zw.Reset(&buf)
		if _, err := zw.Write(data); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
	default:
		return c.Blob(status, echo.MIMEApplicationJSON, data)
	}
	return c.Blob(status, echo.MIMEApplicationJSON, buf.Bytes())
}
