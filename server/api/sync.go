package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/labstack/echo/v4"
	fastjson "github.com/segmentio/encoding/json"

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

func (h *SyncHandler) sync(c echo.Context) error {
	p, err := h.Principal(c)
	if err != nil {
		return err
	}
	req, err := readSyncRequest(c.Request())
	if err != nil {
		return err
	}
	// A gap's error carries the last mutation the server holds, and the
	// error handler writes it with the rest of the body.
	resp, err := h.Service.Sync(c.Request().Context(), p, req)
	if err != nil {
		return err
	}
	buf := answerBuffers.Get().(*bytes.Buffer)
	defer answerBuffers.Put(buf)
	buf.Reset()
	cpuSlots <- struct{}{}
	err = encodeSyncResponse(buf, resp)
	var a answer
	if err == nil {
		a, err = compressAnswer(c.Request().Header.Get(echo.HeaderAcceptEncoding), buf.Bytes())
	}
	<-cpuSlots
	if err != nil {
		return err
	}
	defer a.release()
	return a.send(c, http.StatusOK)
}

// encodeSyncResponse is json.Marshal(r), byte for byte, without the cost
// of re-validating every record's JSON: json.Marshal checks and compacts
// each json.RawMessage, which is most of the work for a page of 500
// records, and the records come from the store already compact (each was
// made by json.Marshal).
func encodeSyncResponse(b *bytes.Buffer, r housing.SyncResponse) error {
	changes := r.Changes
	r.Changes = nil
	head, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if changes == nil {
		b.Write(head)
		return nil
	}
	// A string value cannot hold "changes":null with bare quotes, so the
	// only match is the field itself.
	null := []byte(`"changes":null`)
	at := bytes.Index(head, null)
	size := len(head)
	for _, ch := range changes {
		size += len(ch.Data) + len(ch.Patch) + len(ch.Kind) + len(ch.ID) + 48
	}
	b.Grow(size)
	b.Write(head[:at])
	b.WriteString(`"changes":[`)
	for i, ch := range changes {
		if i > 0 {
			b.WriteByte(',')
		}
		appendChange(b, ch)
	}
	b.WriteByte(']')
	b.Write(head[at+len(null):])
	return nil
}

// answerBuffers reuses the buffers answers are encoded and compressed
// into: a page runs to hundreds of kilobytes, and allocating one per
// request for many phones at once kept the garbage collector busy.
var answerBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// cpuSlots lets at most as many requests at once as there are cores
// decode their body, or encode and compress their answer. That work is pure
// CPU, so more at once finish no sooner; and with a hundred of them
// runnable, the batch writer, whom every phone that sent changes waits for,
// got a turn on a core only now and then. Reading a body off the network
// and sending an answer happen outside it: a phone on a weak signal takes
// its time, and must not hold a place meanwhile.
var cpuSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// zstdAnswers reuses the slices zstd answers are compressed into.
var zstdAnswers = sync.Pool{New: func() any { return new([]byte) }}

// appendChange writes ch as json.Marshal would. It is written out by hand
// because a page holds up to 500 changes and reflection cost more per
// change than building the rest of the answer.
func appendChange(b *bytes.Buffer, ch housing.Change) {
	b.WriteByte('{')
	if ch.Seq != 0 {
		b.WriteString(`"seq":`)
		b.Write(strconv.AppendInt(b.AvailableBuffer(), ch.Seq, 10))
		b.WriteByte(',')
	}
	b.WriteString(`"kind":`)
	appendJSONString(b, ch.Kind)
	b.WriteString(`,"id":`)
	appendJSONString(b, ch.ID)
	if ch.Removed {
		b.WriteString(`,"removed":true`)
	}
	if len(ch.Data) > 0 {
		b.WriteString(`,"data":`)
		b.Write(ch.Data)
	}
	if len(ch.Patch) > 0 {
		b.WriteString(`,"patch":`)
		b.Write(ch.Patch)
	}
	b.WriteByte('}')
}

// appendJSONString writes s as a JSON string the way json.Marshal does:
// kinds and IDs are plain ASCII and go as they are; anything else takes
// the standard encoder's escaping.
func appendJSONString(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			quoted, _ := json.Marshal(s) // a string always encodes
			b.Write(quoted)
			return
		}
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
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
//
// The body is read off the network first and only then decoded, in a place
// in cpuSlots: a phone uploading slowly on a weak signal must not hold one.
func readSyncRequest(r *http.Request) (housing.SyncRequest, error) {
	var req housing.SyncRequest
	tooLarge := housing.Errorf(housing.CodeTooLarge, "The sync request is over %d MB; send fewer changes at a time.", housing.MaxRequestBytes>>20)
	raw, err := io.ReadAll(&cappedReader{r: r.Body, n: housing.MaxRequestBytes})
	if errors.Is(err, errBodyTooLarge) {
		return req, tooLarge
	} else if err != nil {
		return req, readBodyError(err) // 408 past the read deadline (errorResponse)
	}
	cpuSlots <- struct{}{}
	defer func() { <-cpuSlots }()
	var body io.Reader = bytes.NewReader(raw)
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
		return req, housing.Errorf(housing.CodeInvalid, "The request says it is gzip-compressed but is damaged.")
	}
	// A day's outbox is hundreds of records: segmentio's decoder, a drop-in
	// for encoding/json with the same types, checks and error types, reads
	// it in a sixth of the time.
	rest, err := fastjson.Parse(data, &req, 0)
	if err != nil {
		return req, housing.Errorf(housing.CodeInvalid, "The request is not a sync request: %s.", syncJSONProblem(err))
	}
	if len(rest) > 0 {
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

// syncZstd compresses answers for devices that accept zstd, as current
// browsers do. At its fastest setting it is about twice as fast as brotli
// at quality 1 and sends a few per cent fewer bytes: with many phones
// syncing at once, compression is most of a small server's work, and a
// fresh phone's first pull is the biggest thing it downloads after the app
// itself. EncodeAll may be called from many requests at once. The window
// stays within the 8 MB that browsers accept for HTTP.
var syncZstd = func() *zstd.Encoder {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithWindowSize(8<<20),
		zstd.WithEncoderCRC(false)) // TCP checks the bytes already; the checksum cost a quarter of the time
	if err != nil {
		panic(err) // only for options out of range
	}
	return enc
}()

// syncBrotliWriters reuses brotli compressors at quality 1, for devices
// that accept brotli but not zstd. A page of records compresses to within a
// few per cent of quality 4's size at three times the speed, and a reused
// writer runs three times faster again than a new one, which must allocate
// and clear its hash tables.
var syncBrotliWriters = sync.Pool{New: func() any {
	return brotli.NewWriterLevel(io.Discard, 1)
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

// writeCompressed sends a JSON body compressed when it is worth it, in the
// first of zstd, brotli and gzip that the request accepts. Each compressor
// runs at its fastest setting: a pull's page is CPU-bound on a small server
// with many phones, and the best compression would cost several times the
// time for about an eighth fewer bytes.
func writeCompressed(c echo.Context, status int, data []byte) error {
	cpuSlots <- struct{}{}
	a, err := compressAnswer(c.Request().Header.Get(echo.HeaderAcceptEncoding), data)
	<-cpuSlots
	if err != nil {
		return err
	}
	defer a.release()
	return a.send(c, status)
}

// answer is a JSON body ready to send: compressed, and how, or as it was.
type answer struct {
	encoding string // "" for plain
	body     []byte
	release  func() // gives back the buffer the body is in
}

// compressAnswer compresses data in the first of zstd, brotli and gzip that
// accept names, into a reused buffer; small bodies and devices that accept
// none go plain. It is CPU work: the caller holds a place in cpuSlots, and
// lets it go before sending, since a slow phone takes its time to read.
func compressAnswer(accept string, data []byte) (answer, error) {
	plain := answer{body: data, release: func() {}}
	if len(data) <= gzipAnswerOver {
		return plain, nil
	}
	switch {
	case acceptsEncoding(accept, "zstd"):
		out := zstdAnswers.Get().(*[]byte)
		*out = syncZstd.EncodeAll(data, (*out)[:0])
		return answer{encoding: "zstd", body: *out, release: func() { zstdAnswers.Put(out) }}, nil
	case acceptsEncoding(accept, "br"):
		buf := answerBuffers.Get().(*bytes.Buffer)
		buf.Reset()
		bw := syncBrotliWriters.Get().(*brotli.Writer)
		defer syncBrotliWriters.Put(bw)
		bw.Reset(buf)
		if _, err := bw.Write(data); err != nil {
			return answer{}, err
		}
		if err := bw.Close(); err != nil {
			return answer{}, err
		}
		return answer{encoding: "br", body: buf.Bytes(), release: func() { answerBuffers.Put(buf) }}, nil
	case acceptsEncoding(accept, "gzip"):
		buf := answerBuffers.Get().(*bytes.Buffer)
		buf.Reset()
		zw := syncGzipWriters.Get().(*gzip.Writer)
		defer syncGzipWriters.Put(zw)
		zw.Reset(buf)
		if _, err := zw.Write(data); err != nil {
			return answer{}, err
		}
		if err := zw.Close(); err != nil {
			return answer{}, err
		}
		return answer{encoding: "gzip", body: buf.Bytes(), release: func() { answerBuffers.Put(buf) }}, nil
	}
	return plain, nil
}

// send writes the answer with its headers. It is sent whole, with its
// length, so it goes out in one piece rather than in chunks of the
// server's buffer.
func (a answer) send(c echo.Context, status int) error {
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if a.encoding != "" {
		h.Set(echo.HeaderContentEncoding, a.encoding)
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(a.body)))
	return c.Blob(status, echo.MIMEApplicationJSON, a.body)
}
