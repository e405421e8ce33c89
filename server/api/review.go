package api

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"doorstep/shared/housing"
)

// ReviewHandler serves the supervisors' reads under /api/v1/review: the
// attention queues, a tenancy's timeline, the measures and the CSV
// exports. Every route is behind the session and supervisor role checks
// of auth.go, and the service reads only within the supervisor's sites and
// functions (an admin's: everything). A supervisor's actions are not here:
// they are sync mutations, like everyone's.
type ReviewHandler struct {
	Service housing.ReviewService
	// Principal returns the signed-in officer making the request; the
	// session middleware has run before the handler.
	Principal func(c echo.Context) (housing.Principal, error)
}

// The review routes.
const (
	ReviewQueuesPath      = "/api/v1/review/queues"
	ReviewTimelinePath    = "/api/v1/review/tenancies/:id/timeline"
	ReviewMeasuresPath    = "/api/v1/review/measures"
	ReviewCommitmentsPath = "/api/v1/review/export/commitments.csv"
	ReviewFeedbackPath    = "/api/v1/review/export/feedback.csv"
)

// Register adds the review routes to e behind mw, which must check the
// session and the supervisor role.
func (h *ReviewHandler) Register(e *echo.Echo, mw ...echo.MiddlewareFunc) {
	e.GET(ReviewQueuesPath, h.queues, mw...)
	e.GET(ReviewTimelinePath, h.timeline, mw...)
	e.GET(ReviewMeasuresPath, h.measures, mw...)
	e.GET(ReviewCommitmentsPath, h.exportCommitments, mw...)
	e.GET(ReviewFeedbackPath, h.exportFeedback, mw...)
}

func (h *ReviewHandler) queues(c echo.Context) error {
	p, f, err := h.request(c)
	if err != nil {
		return err
	}
	q, err := h.Service.Queues(c.Request().Context(), p, f)
	if err != nil {
		return err
	}
	return writeCompressedJSON(c, http.StatusOK, q)
}

func (h *ReviewHandler) timeline(c echo.Context) error {
	p, err := h.Principal(c)
	if err != nil {
		return err
	}
	tl, err := h.Service.Timeline(c.Request().Context(), p, c.Param("id"))
	if err != nil {
		return err
	}
	return writeCompressedJSON(c, http.StatusOK, tl)
}

func (h *ReviewHandler) measures(c echo.Context) error {
	p, f, err := h.request(c)
	if err != nil {
		return err
	}
	m, err := h.Service.Measures(c.Request().Context(), p, f)
	if err != nil {
		return err
	}
	return writeCompressedJSON(c, http.StatusOK, m)
}

func (h *ReviewHandler) exportCommitments(c echo.Context) error {
	p, f, err := h.request(c)
	if err != nil {
		return err
	}
	w := newCSVRows(c, exportName("promises", f))
	if err := h.Service.ExportCommitments(c.Request().Context(), p, f, w); err != nil {
		return w.fail(err)
	}
	return w.finish()
}

func (h *ReviewHandler) exportFeedback(c echo.Context) error {
	p, f, err := h.request(c)
	if err != nil {
		return err
	}
	w := newCSVRows(c, exportName("feedback", f))
	if err := h.Service.ExportFeedback(c.Request().Context(), p, f, w); err != nil {
		return w.fail(err)
	}
	return w.finish()
}

// request returns the caller and the filter in the query string.
func (h *ReviewHandler) request(c echo.Context) (housing.Principal, housing.ReviewFilter, error) {
	p, err := h.Principal(c)
	if err != nil {
		return p, housing.ReviewFilter{}, err
	}
	// echo's QueryParams drops what net/url cannot parse (a broken
	// %-escape, more than its limit of parameters) without a word, and a
	// filter read from what is left would answer more than was asked.
	q, err := url.ParseQuery(c.Request().URL.RawQuery)
	if err != nil {
		return p, housing.ReviewFilter{}, housing.Errorf(housing.CodeInvalid,
			"The filter in the address cannot be read: it has a broken %%-escape or too many parts.")
	}
	if err := onceEach(q, "officer", "status", "from", "to"); err != nil {
		return p, housing.ReviewFilter{}, err
	}
	f := housing.ReviewFilterFrom(q)
	return p, f, f.Validate()
}

// onceEach refuses a query string that gives any of the single-valued
// parameters keys more than once: url.Values.Get would read the first and
// drop the rest without a word ("from=2026-12-01&from=bogus" would answer
// as if the second were not there).
func onceEach(q url.Values, keys ...string) error {
	for _, k := range keys {
		if len(q[k]) > 1 {
			return housing.Errorf(housing.CodeInvalid, "The address gives %s %d times; give it once.", k, len(q[k]))
		}
	}
	return nil
}

// exportName is the file name a browser saves an export as.
func exportName(what string, f housing.ReviewFilter) string {
	name := "doorstep-" + what
	if f.From != "" {
		name += "-from-" + string(f.From)
	}
	if f.To != "" {
		name += "-to-" + string(f.To)
	}
	return name + ".csv"
}
