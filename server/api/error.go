package api

import (
	"errors"
	"html"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"doorstep/shared/housing"
)

// statusOf is the one table from a housing error code to an HTTP status.
// A code missing from it is a bug and answers 500.
var statusOf = map[string]int{
	housing.CodeInvalid:      http.StatusBadRequest,
	housing.CodeNotFound:     http.StatusNotFound,
	housing.CodeConflict:     http.StatusConflict,
	housing.CodeIllegal:      http.StatusUnprocessableEntity,
	housing.CodeUnauthorized: http.StatusUnauthorized,
	housing.CodeForbidden:    http.StatusForbidden,
	housing.CodeRateLimited:  http.StatusTooManyRequests,
	housing.CodeTooLarge:     http.StatusRequestEntityTooLarge,
	housing.CodeGap:          http.StatusConflict,
	housing.CodeUnsupported:  http.StatusBadRequest,
	housing.CodeInternal:     http.StatusInternalServerError,
}

// StatusOf returns the HTTP status for a housing error code.
func StatusOf(code string) int {
	if status, ok := statusOf[code]; ok {
		return status
	}
	return http.StatusInternalServerError
}

// DefaultRetryAfter is how long a rate-limited caller is told to wait
// (Retry-After) when the error does not say (housing.Error.RetryAfter).
const DefaultRetryAfter = time.Minute

// handleError is echo's HTTPErrorHandler: the only place an error becomes a
// response. The body is housing.ErrorBody ({"code","message"}, with the
// field an error is about and a gap's last mutation); the message is safe to
// show. A rate-limited answer says when to try again in Retry-After, from
// the error. A page asked for by a person (wantsHTML) gets the message as a
// page instead. The request logger logs the error itself, once.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, e := errorResponse(err, c.Request())
	if e.Code == housing.CodeRateLimited {
		c.Response().Header().Set("Retry-After", retryAfter(e.RetryAfter))
	}
	var werr error
	switch {
	case c.Request().Method == http.MethodHead:
		werr = c.NoContent(status)
	case wantsHTML(c):
		werr = c.HTML(status, errorPage(e, c.Request()))
	default:
		werr = c.JSON(status, e.Body())
	}
	if werr != nil {
		s.Log.Error("write error response", "err", werr)
	}
}

// retryAfter is the Retry-After header for a wait: whole seconds, rounded
// up, at least one; DefaultRetryAfter for none.
func retryAfter(wait time.Duration) string {
	if wait <= 0 {
		wait = DefaultRetryAfter
	}
	return strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))
}

// errorPage is an error as a page for a person: its message, and, when the
// page answers a form that was sent, a link that opens the page again, from
// where the form can be sent afresh.
func errorPage(e housing.Error, r *http.Request) string {
	page := "<!doctype html><meta charset=\"utf-8\"><title>Doorstep</title><p>" + html.EscapeString(e.Message) + "</p>"
	if r.Method == http.MethodPost {
		page += "<p><a href=\"\">Open the page again</a></p>"
	}
	return page
}

// errorResponse maps err to a status and a body. A *housing.Error keeps its
// code and message; echo's own errors (no route, body too large, a malformed
// body) get the nearest code; anything else is internal, with a generic
// message so that no detail leaks.
func errorResponse(err error, r *http.Request) (int, housing.Error) {
	var he *housing.Error
	if errors.As(err, &he) {
		return StatusOf(he.Code), *he
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		// The body did not arrive within the route's read deadline.
		return http.StatusRequestTimeout, housing.Error{Code: housing.CodeInvalid, Message: tooSlowMessage}
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge, housing.Error{Code: housing.CodeTooLarge, Message: tooLargeMessage}
	}
	var ee *echo.HTTPError
	if errors.As(err, &ee) {
		return ee.Code, echoError(ee, r)
	}
	var bre *bodyReadError
	if errors.As(err, &bre) {
		// The client broke off part-way (a deadline or a size limit is decided above): nothing the server did.
		return http.StatusBadRequest, housing.Error{Code: housing.CodeInvalid, Message: "The request body could not be read whole; send it again."}
	}
	return http.StatusInternalServerError, housing.Error{Code: housing.CodeInternal, Message: housing.ErrorMessage(err)}
}

const tooLargeMessage = "The request is too large. Send fewer records at a time."

const tooSlowMessage = "The request took too long to arrive. Please try again when the signal is better."

// echoError words an *echo.HTTPError for a user.
func echoError(ee *echo.HTTPError, r *http.Request) housing.Error {
	var code, message string
	switch status := ee.Code; {
	case status == http.StatusNotFound:
		code, message = housing.CodeNotFound, "There is nothing at "+r.URL.Path+"."
	case status == http.StatusMethodNotAllowed:
		code, message = housing.CodeInvalid, r.URL.Path+" does not accept "+r.Method+" requests."
	case status == http.StatusRequestEntityTooLarge:
		code, message = housing.CodeTooLarge, tooLargeMessage
	case status == http.StatusUnauthorized:
		code, message = housing.CodeUnauthorized, "Please sign in again."
	case status == http.StatusForbidden:
		code, message = housing.CodeForbidden, "You are not allowed to do this."
	case status == http.StatusTooManyRequests:
		code, message = housing.CodeRateLimited, "Too many requests. Please wait a minute and try again."
	case status == http.StatusConflict:
		code, message = housing.CodeConflict, "This changed on the server in the meantime. Please try again."
	case status >= 500:
		return housing.Error{Code: housing.CodeInternal, Message: housing.ErrorMessage(ee)}
	default:
		code, message = housing.CodeInvalid, "The request is not valid."
	}
	// A message that a handler or echo's binder wrote (for example "Syntax
	// error: offset=12") says more than the generic one.
	if m, ok := ee.Message.(string); ok && m != "" && m != http.StatusText(ee.Code) {
		message = m
	}
	return housing.Error{Code: code, Message: message}
}

// wantsHTML reports whether a page, not a program, asked: a route that
// answers only with pages (asPage), or a browser navigation outside /api
// that accepts HTML.
func wantsHTML(c echo.Context) bool {
	if page, _ := c.Get(pageKey).(bool); page {
		return true
	}
	r := c.Request()
	if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
		return false
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// pageKey marks, in an echo.Context, a request to a route whose every
// answer is a page for a person: its errors are pages too, whatever the
// request accepts.
const pageKey = "doorstep.page"

// asPage marks the requests through it as asking for a page (wantsHTML).
func asPage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Set(pageKey, true)
		return next(c)
	}
}
