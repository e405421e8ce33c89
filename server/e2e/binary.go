package e2e

import "testing"

// Binary returns the path of the doorstep binary, built once per test
// binary, for tests that run its other commands (`doorstep user ...`).
func Binary(t testing.TB) string {
	t.Helper()
	return serverBinary(t)
}
