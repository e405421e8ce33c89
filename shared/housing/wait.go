package housing

import (
	"errors"
	"time"
)

// Wait is an error that passes with time, such as a rate-limited sign-in:
// it carries the *Error to show and how long to wait before trying again,
// which the API sends as a Retry-After header. ErrorCode and ErrorMessage
// see through it to the *Error.
type Wait struct {
	Err   *Error
	After time.Duration
}

func (w *Wait) Error() string { return w.Err.Error() }

func (w *Wait) Unwrap() error { return w.Err }

// RetryAfter returns how long err says to wait, or 0 if it says nothing.
func RetryAfter(err error) time.Duration {
	var w *Wait
	if errors.As(err, &w) {
		return w.After
	}
	return 0
}
