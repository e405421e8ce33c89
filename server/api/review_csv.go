package api

import (
	"encoding/csv"
	"log/slog"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"
)

// csvRows streams an export to the response as CSV (RFC 4180 quoting and
// CRLF line ends, by encoding/csv) with every cell made safe to open in a spreadsheet. The
// headers go out with the first row, so an error before any row (a bad
// filter, a missing role) is still an ordinary JSON error.
type csvRows struct {
	c       echo.Context
	name    string
	w       *csv.Writer
	started bool
}

func newCSVRows(c echo.Context, name string) *csvRows {
	return &csvRows{c: c, name: name}
}

// WriteRow implements housing.RowWriter.
func (r *csvRows) WriteRow(cells []string) error {
	if !r.started {
		r.started = true
		h := r.c.Response().Header()
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": r.name}))
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		r.c.Response().WriteHeader(http.StatusOK)
		r.w = csv.NewWriter(r.c.Response())
		// RFC 4180 ends records with CRLF; encoding/csv writes LF unless told.
		r.w.UseCRLF = true
	}
	safe := make([]string, len(cells))
	for i, s := range cells {
		safe[i] = SafeCell(s)
	}
	return r.w.Write(safe)
}

// fail returns err for the error handler when nothing was sent yet. Once
// rows have gone out the status cannot change: the error is logged and the
// file ends where it stopped.
func (r *csvRows) fail(err error) error {
	if !r.started {
		return err
	}
	r.w.Flush()
	slog.ErrorContext(r.c.Request().Context(), "export cut short", "path", r.c.Path(), "err", err)
	return nil
}

// finish flushes what is buffered.
func (r *csvRows) finish() error {
	if !r.started {
		return nil
	}
	r.w.Flush()
	if err := r.w.Error(); err != nil {
		slog.ErrorContext(r.c.Request().Context(), "export cut short", "path", r.c.Path(), "err", err)
	}
	return nil
}

// SafeCell defuses formula injection: a spreadsheet runs a cell that starts
// with = + - or @ (and some also after a leading tab or carriage return)
// as a formula, so such a cell is prefixed with a single quote and shown as
// the text it is. Exports write no negative numbers, so no number is
// changed by it.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
