// Package remote is the phone's one client of the Doorstep server: every
// route the phone uses (the session, sync, the supervisors' review reads and
// exports), spoken in shared/housing types. It knows no screen and no
// storage.
//
// The bytes travel through a Doer, a plain function from Request to
// Response. In the wasm it is the browser's fetch (fetch_js.go): linking
// net/http's client would add about a megabyte to app.wasm. Everywhere else
// (tests, benchmarks, tools) it is net/http (nethttp.go). Either way the
// client decodes answers the same way: a refusal is the server's
// *housing.Error (ErrorBody.Err), and no answer, or an answer that did not
// come from Doorstep, is a plain error, which callers take for "offline".
package remote
