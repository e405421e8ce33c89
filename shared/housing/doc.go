// Package housing is Doorstep's domain: tenancies, visits, the promises made at
// the door (commitments), tenant feedback, the service standards a promise is
// checked against, and the sync protocol that carries them between phones and
// the server.
//
// It imports nothing but the standard library, so the WebAssembly client and
// the server share one definition of every record, every validation rule and
// the commitment state machine. Storage and transport live elsewhere and talk
// to each other only in these types.
//
// Where to look:
//   - error.go: Error{Code, Message, Field, ...}, the codes that cross the
//     network; field.go: the names of the fields an error is about.
//   - commitment.go and state.go: the commitment record and its state machine.
//   - standard.go and calendar.go: service standards and working days.
//   - review.go: the supervisors' queues, filter and timeline; measures.go:
//     how promises are kept, each measure defined once.
//   - protocol.go: the sync wire format (see docs/sync-protocol.md).
//   - service.go: the interfaces the server's store implements.
package housing
