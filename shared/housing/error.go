package housing

import (
	"errors"
	"fmt"
	"time"
)

// Error codes cross the network in {"code","message"} bodies and in sync
// results. Their spelling never changes once released.
const (
	CodeInvalid      = "invalid"      // the input is wrong; the message says how
	CodeNotFound     = "not_found"    // no such record, or not in the caller's scope
	CodeConflict     = "conflict"     // the change was based on a stale version
	CodeIllegal      = "illegal"      // the commitment's state does not allow it
	CodeUnauthorized = "unauthorized" // no valid session: sign in again
	CodeForbidden    = "forbidden"    // signed in, but the role or scope does not allow it
	CodeRateLimited  = "rate_limited" // too many attempts; try again later
	CodeTooLarge     = "too_large"    // the request body is over its limit
	CodeGap          = "gap"          // a sync batch skipped mutation numbers; resend from the server's number
	CodeUnsupported  = "unsupported"  // a protocol version this server does not speak
	CodeInternal     = "internal"     // our fault; the message is generic
)

// Error is an error a user can act on: its Message is safe to show as is.
// What it is about travels in fields, never in the text: a form reads Field
// to mark the input, a phone reads LastMutation to resend, and the server's
// one error handler reads RetryAfter to set the header. On the wire it is an
// ErrorBody (protocol.go).
type Error struct {
	Code    string
	Message string

	// Field names the input the error is about, as a path of JSON names
	// within the record or request that was checked: "purpose",
	// "commitments.1.due_date", "feedback.comment". "" when it is about no
	// one input. The Field* constants name the fields.
	Field string

	// LastMutation is, with CodeGap, the last mutation number the server
	// holds for the device: it resends from LastMutation+1.
	LastMutation int64

	// RetryAfter is, with CodeRateLimited, how long to wait before trying
	// again; zero means the caller's default.
	RetryAfter time.Duration

	// Problems lists, for input of many rows (an import's files), every
	// row refused and why; Message then sums them up.
	Problems []Problem
}

// Problem is one thing wrong in a file of many rows: which file, line and
// column, and a plain reason. Line 1 is the header row; Line 0 means the
// whole file (not CSV, not UTF-8, a column missing).
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("housing error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// InField returns a copy of err's *Error with Field set to field, or to
// field + "." + its own Field when it already names one inside field (a
// promise's "due_date" within "commitments.1"). Any other error comes back
// as it is.
func InField(err error, field string) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	if c.Field == "" {
		c.Field = field
	} else {
		c.Field = field + "." + c.Field
	}
	return &c
}

// ErrorField returns the Field of the *Error inside err, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// RetryAfter returns the RetryAfter of the *Error inside err: how long err
// says to wait before trying again, or 0 if it says nothing.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// ErrorCode returns the code of the *Error inside err, CodeInternal for any
// other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return CodeInternal
	}
}

// ErrorMessage returns the message of the *Error inside err, or a generic
// message for any other error, so internal details never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return "Something went wrong on our side. Your records are safe; please try again."
	}
}
