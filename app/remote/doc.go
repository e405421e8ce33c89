// Package remote is the client's HTTP transport to the Doorstep server: the
// sync round trip and sign-in, spoken in shared/housing types. It is plain
// net/http, so the same code runs in the browser (where fetch decompresses
// responses) and natively in tests and benchmarks (where net/http does).
// It knows no screen and no storage.
package remote
