package api

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"doorstep/shared/housing"
)

// ImportsPath is where admins import the landlord's CSV files and read
// the imports applied (docs/admin-api.md, Imports).
const ImportsPath = "/api/v1/admin/imports"

// maxUploadBytes bounds an import's request body: the files together may
// be housing.MaxImportBytes, and the multipart form around them adds a
// little. The server's usual body limit is far smaller, and skips this
// route (server.go).
const maxUploadBytes = housing.MaxImportBytes + 1<<20

// ImportHandler serves the import routes, for admins only.
type ImportHandler struct {
	Service housing.ImportService
	// Log receives one line per import applied; nil means slog.Default().
	Log *slog.Logger
}

// Register adds the import routes to e behind mw (the session and admin
// checks). The upload gets long's deadlines: 64 MiB of tenancies from a
// housing office's connection can take minutes to arrive.
//
//	POST /api/v1/admin/imports?dry_run=true&no_passwords=true
//	     multipart/form-data, one part named "file" per CSV file
//	     → 200 housing.ImportReport (dry run), 201 (applied, with the new
//	       accounts' one-time passwords); 400 invalid with every problem;
//	       413 too_large over housing.MaxImportBytes
//	GET  /api/v1/admin/imports → {"imports": [housing.ImportReport]}, newest first
func (h *ImportHandler) Register(e *echo.Echo, long echo.MiddlewareFunc, mw ...echo.MiddlewareFunc) {
	if h.Log == nil {
		h.Log = slog.Default()
	}
	e.POST(ImportsPath, h.upload, append([]echo.MiddlewareFunc{long}, mw...)...)
	e.GET(ImportsPath, h.list, mw...)
}

// importList is the answer of GET /api/v1/admin/imports.
type importList struct {
	Imports []housing.ImportReport `json:"imports"`
}

func (h *ImportHandler) list(c echo.Context) error {
	imports, err := h.Service.Imports(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, importList{Imports: imports})
}

func (h *ImportHandler) upload(c echo.Context) error {
	var opts housing.ImportOptions
	var err error
	if opts.DryRun, err = queryFlag(c, "dry_run"); err != nil {
		return err
	}
	if opts.NoPasswords, err = queryFlag(c, "no_passwords"); err != nil {
		return err
	}
	files, err := readImportFiles(c)
	if err != nil {
		return err
	}
	p := principal(c)
	report, err := h.Service.Import(c.Request().Context(), p, files, opts)
	if err != nil {
		return err
	}
	// The answer may hold one-time passwords: no cache keeps it.
	c.Response().Header().Set("Cache-Control", "no-store")
	if opts.DryRun {
		return c.JSON(http.StatusOK, report)
	}
	n := func(k housing.ImportCounts) string {
		return fmt.Sprintf("%d added, %d changed, %d ended, %d unchanged", k.Added, k.Changed, k.Ended, k.Unchanged)
	}
	h.Log.Info("import applied", "by", p.OfficerID, "import_id", report.ID, "files", strings.Join(report.Files, ","),
		"sites", n(report.Sites), "teams", n(report.Teams), "staff", n(report.Staff), "tenancies", n(report.Tenancies),
		"new_accounts", len(report.Passwords))
	return c.JSON(http.StatusCreated, report)
}

// queryFlag reads the query parameter name as a boolean: absent or empty
// is false, else true/false, 1/0 and the like (strconv.ParseBool).
func queryFlag(c echo.Context, name string) (bool, error) {
	v := c.QueryParam(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, housing.Invalid(name, "%s is true or false, not %q.", name, v)
	}
	return b, nil
}

// readImportFiles reads an upload's CSV files: each part named "file", its
// filename one of the four (importcsv judges the name). It refuses a body
// over maxUploadBytes, or files over housing.MaxImportBytes together, as
// too large before reading the rest.
func readImportFiles(c echo.Context) ([]housing.ImportFile, error) {
	r := c.Request()
	tooLarge := housing.Errorf(housing.CodeTooLarge, "The files are over %d MiB together; import the tenancies on their own, or in parts.", housing.MaxImportBytes>>20)
	if r.ContentLength > maxUploadBytes {
		return nil, tooLarge
	}
	r.Body = http.MaxBytesReader(c.Response(), r.Body, maxUploadBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, housing.Errorf(housing.CodeInvalid, "Send the files as multipart/form-data, one part named file for each CSV file.")
	}
	var files []housing.ImportFile
	total := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, readBodyError(err) // 413 past the limit, 408 past the deadline (errorResponse)
		}
		if part.FormName() != "file" {
			return nil, housing.Errorf(housing.CodeInvalid, "Send each CSV file in a part named file; %q is not one.", part.FormName())
		}
		if part.FileName() == "" {
			return nil, housing.Errorf(housing.CodeInvalid, "A file part has no filename; name it sites.csv, teams.csv, staff.csv or tenancies.csv.")
		}
		data, err := io.ReadAll(io.LimitReader(part, int64(housing.MaxImportBytes-total+1)))
		if err != nil {
			return nil, readBodyError(err)
		}
		if total += len(data); total > housing.MaxImportBytes {
			return nil, tooLarge
		}
		files = append(files, housing.ImportFile{Name: part.FileName(), Data: data})
	}
	return files, nil
}
