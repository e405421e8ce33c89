package sqlite

import (
	"encoding/json"
	"runtime"
	"sync"

	"doorstep/shared/housing"
)

// A batch's new records (visits, promises, feedback) are decoded and
// checked on their own before the batch waits for the write lock, on every
// core at once for a large batch, so whoever holds the lock only reads and
// writes the database. Decoding was a fifth of the time a batch held it.
// Nothing here depends on the database, and the results are used at the
// same point of applying a mutation as decoding there would be, so a bad
// record is refused in the same way and order as before.

// decodedRecord is one mutation's record, decoded, and why it is refused
// on its own, if it is.
type decodedRecord struct {
	record any // housing.Visit, housing.Commitment or housing.Feedback
	err    error
}

// decodeInParallelOver is the batch size from which decoding is shared
// between cores; below it the goroutines cost more than they save.
const decodeInParallelOver = 64

// decodeBatch decodes the records that ms make, by mutation number.
func decodeBatch(ms []housing.Mutation) map[int64]decodedRecord {
	out := make([]decodedRecord, len(ms))
	made := make([]bool, len(ms))
	decodeRange := func(from, to int) {
		for i := from; i < to; i++ {
			out[i], made[i] = decodeMade(ms[i])
		}
	}
	if workers := runtime.GOMAXPROCS(0); len(ms) >= decodeInParallelOver && workers > 1 {
		var wg sync.WaitGroup
		per := (len(ms) + workers - 1) / workers
		for from := 0; from < len(ms); from += per {
			wg.Add(1)
			go func() {
				defer wg.Done()
				decodeRange(from, min(from+per, len(ms)))
			}()
		}
		wg.Wait()
	} else {
		decodeRange(0, len(ms))
	}
	byNumber := make(map[int64]decodedRecord, len(ms))
	for i, m := range ms {
		if made[i] {
			byNumber[m.Seq] = out[i]
		}
	}
	return byNumber
}

// decodeMade decodes the record m makes, if m makes one; an oversize
// record is left for apply to refuse.
func decodeMade(m housing.Mutation) (decodedRecord, bool) {
	if len(m.Data) > housing.MaxMutationBytes {
		return decodedRecord{}, false
	}
	switch m.Kind {
	case housing.KindVisitRecord:
		return decodeValid[housing.Visit](m.Data), true
	case housing.KindCommitmentMake:
		return decodeValid[housing.Commitment](m.Data), true
	case housing.KindFeedbackGive:
		return decodeValid[housing.Feedback](m.Data), true
	}
	return decodedRecord{}, false
}

// validated is a record that can check itself.
type validated interface {
	housing.Visit | housing.Commitment | housing.Feedback
	Validate() error
}

func decodeValid[T validated](data json.RawMessage) decodedRecord {
	var v T
	if err := decodeData(data, &v); err != nil {
		return decodedRecord{err: err}
	}
	return decodedRecord{record: v, err: v.Validate()}
}

// recordOf returns the record m makes, decoded and checked: before the
// lock if its batch was, or now.
func recordOf[T validated](a *applier, m housing.Mutation) (T, error) {
	d, ok := a.decoded[m.Seq]
	if !ok {
		d = decodeValid[T](m.Data)
	}
	v, _ := d.record.(T)
	return v, d.err
}
