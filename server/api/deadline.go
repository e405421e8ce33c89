package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// controllerKey holds, in the echo context, the http.ResponseController of
// the connection's own ResponseWriter: later middleware (compressText) wraps
// the writer, and a route's own deadlines must still reach the connection.
const controllerKey = "doorstep.controller"

// deadlines bounds reading the request's body to read from now, and
// writing its answer to write after that, so that a handler whose read hit
// its deadline still has time to answer 408. The server's default runs first, for every
// request; a route that needs longer (sync, the app's files) registers its
// own, which replaces it. Without this a client could hold a connection
// and its goroutine open forever by sending a body a byte at a time, since
// http.Server's ReadHeaderTimeout stops at the headers. A deadline that
// passes fails the read (the handler answers 408, see errorResponse) or the
// write (the connection closes).
//
// The deadlines outlive the request on a kept-alive connection, which does
// no harm: net/http sets its own read deadlines between requests, and the
// next request's handler sets both again before anything is written.
func deadlines(read, write time.Duration) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			rc, ok := c.Get(controllerKey).(*http.ResponseController)
			if !ok {
				rc = http.NewResponseController(c.Response().Writer)
				c.Set(controllerKey, rc)
			}
			now := time.Now()
			// A writer that cannot take deadlines (a test's recorder) has no
			// connection to hold open.
			_ = rc.SetReadDeadline(now.Add(read))
			_ = rc.SetWriteDeadline(now.Add(read + write))
			return next(c)
		}
	}
}

// bodyReadError is a request body that could not be read off the network:
// its route's read deadline passed (os.ErrDeadlineExceeded, answered 408),
// or the client broke off (400). Every handler that reads a body returns
// its read error as one of these, and errorResponse alone decides the
// status, so no route can answer a slow body differently from another.
type bodyReadError struct{ err error }

// readBodyError wraps a body's read error for errorResponse.
func readBodyError(err error) error { return &bodyReadError{err: err} }

func (e *bodyReadError) Error() string { return fmt.Sprintf("read request body: %v", e.err) }

func (e *bodyReadError) Unwrap() error { return e.err }
