package replica

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"doorstep/shared/housing"
)

// Report says what one Sync did.
type Report struct {
	Pushed  int // mutations the server acknowledged
	Pulled  int // changes applied
	Refused int // mutations the server rejected or changed: see Attention
	// Echoed counts the records this phone made or acted on that came
	// back, in the answer to the request that sent them, as the server
	// stored them. They are not news, so Pulled leaves them out.
	Echoed int
}

// ErrNeedsSignIn is returned by Sync while the officer must sign in again.
var ErrNeedsSignIn = housing.Errorf(housing.CodeUnauthorized, "Please sign in again. Your records are safe on this phone and will sync after you do.")

// Sync pushes the outbox in order and pulls until the server has nothing
// more. Only one Sync runs at a time. A failure leaves the outbox as it was;
// the next Sync carries on from there.
func (r *Replica) Sync(ctx context.Context) (Report, error) {
	r.syncing.Lock()
	defer r.syncing.Unlock()
	r.setSyncing(true)
	defer r.setSyncing(false)

	var rep Report
	for round := 0; ; round++ {
		if round > 10000 {
			return rep, errors.New("sync did not finish")
		}
		r.mu.Lock()
		if r.meta.Token == "" || r.meta.NeedsSignIn {
			r.mu.Unlock()
			return rep, ErrNeedsSignIn
		}
		batch := append([]housing.Mutation{}, r.outbox[:batchEnd(r.outbox)]...)
		req := housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: r.meta.DeviceID, Cursor: r.meta.Cursor, Patches: true, Mutations: batch}
		token := r.meta.Token
		r.mu.Unlock()

		resp, err := r.transport.Sync(ctx, token, req)

		r.mu.Lock()
		if err != nil {
			err = r.failed(ctx, err, resp)
			r.mu.Unlock()
			if errors.Is(err, errResend) {
				continue
			}
			return rep, err
		}
		b, n, echoed := r.applyResponse(req, resp)
		err = r.commit(ctx, b)
		left := len(r.outbox)
		r.mu.Unlock()
		if errors.Is(err, ErrStale) {
			// Another tab wrote while this answer was on its way; the
			// replica has reloaded, and asking again is harmless: the
			// server answers what it already holds as duplicates.
			continue
		}
		if err != nil {
			return rep, err
		}
		rep.Pushed += len(resp.Results) - n
		rep.Refused += n
		rep.Pulled += len(resp.Changes) - echoed
		rep.Echoed += echoed
		if !resp.HasMore && left == 0 {
			return rep, nil
		}
		if len(batch) > 0 && resp.LastMutation < batch[0].Seq {
			// The server neither took the batch nor named a gap: asking
			// again at once would only repeat that. Keep everything and
			// let the scheduler retry later.
			return rep, r.noProgress(ctx)
		}
	}
}

var errResend = errors.New("resend")

// batchBytes bounds the mutations' encoded size in one request, well under
// housing.MaxRequestBytes: 500 mutations of up to 16 KB each would be over
// it, and a batch the server refuses as too large would be sent again and
// again, wedging the queue.
const batchBytes = housing.MaxRequestBytes / 2

// mutationOverhead is a generous size of a mutation's fields besides Data.
const mutationOverhead = 256

// batchEnd returns how many of the outbox's first mutations go in the next
// request: at most MaxMutationsPerBatch and batchBytes, and at least one.
func batchEnd(outbox []housing.Mutation) int {
	size := 0
	for i, m := range outbox {
		size += len(m.Data) + mutationOverhead
		if i == housing.MaxMutationsPerBatch || (i > 0 && size > batchBytes) {
			return i
		}
	}
	return len(outbox)
}

// errNoProgress is returned by Sync when the server answered without
// acknowledging any of the mutations sent.
var errNoProgress = errors.New("sync: the server acknowledged none of the mutations sent")

// noProgress records errNoProgress as the last error and returns it.
func (r *Replica) noProgress(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.meta
	m.LastError = "The server did not take this phone's changes. They are safe here; Doorstep will try again."
	if err := r.commitStatus(ctx, Batch{Meta: &m}); err != nil {
		return err
	}
	return errNoProgress
}

// failed records a failed round trip. A gap means the server already holds
// some of the outbox: those entries are dropped and the rest is resent. r.mu
// is held.
func (r *Replica) failed(ctx context.Context, err error, resp housing.SyncResponse) error {
	m := r.meta
	m.LastAttempt = r.now()
	var b Batch
	switch housing.ErrorCode(err) {
	case housing.CodeUnauthorized:
		m.NeedsSignIn, m.LastError = true, "The server ended this phone's session: sign in again. Nothing is lost."
		err = ErrNeedsSignIn
	case housing.CodeGap:
		for _, o := range r.outbox {
			if o.Seq <= resp.LastMutation {
				b.Dequeue = append(b.Dequeue, o.Seq)
			}
		}
		if len(b.Dequeue) == 0 && len(r.outbox) > 0 {
			// The server holds fewer of this phone's mutations than it once
			// acknowledged (it was restored from a backup). What is still
			// pending here is numbered again from the server's next number,
			// so the queue moves instead of waiting for numbers nobody
			// holds any more.
			b.Dequeue, b.Enqueue = renumber(r.outbox, resp.LastMutation+1)
			m.NextSeq = resp.LastMutation + 1 + int64(len(r.outbox))
			b.Meta = &m
			if cerr := r.commitStatus(ctx, b); cerr != nil {
				return cerr
			}
			return errResend
		}
		if len(b.Dequeue) > 0 {
			b.Meta = &m
			if cerr := r.commitStatus(ctx, b); cerr != nil {
				return cerr
			}
			return errResend
		}
		m.LastError = "The server is missing some of this phone's changes. Export the unsynced records and tell your supervisor."
	case housing.CodeInternal:
		m.LastError = "No connection to the server. Your records are safe on this phone."
	default:
		m.LastError = housing.ErrorMessage(err)
	}
	b.Meta = &m
	if cerr := r.commitStatus(ctx, b); cerr != nil {
		return cerr
	}
	return err
}

// renumber returns the outbox's numbers to drop and its mutations numbered
// again from next, in the same order. A store dequeues before it enqueues,
// so a number in both is the renumbered mutation.
func renumber(outbox []housing.Mutation, next int64) (drop []int64, again []housing.Mutation) {
	for i, o := range outbox {
		drop = append(drop, o.Seq)
		o.Seq = next + int64(i)
		again = append(again, o)
	}
	return drop, again
}

// applyResponse turns a server answer into one batch: the acknowledged
// outbox entries leave, refused ones become attention items, pulled changes
// are stored with pending changes applied again on top, and the cursor
// moves. This phone's own records come back too, in the server's form (with
// its received_at, and the site it filed them under), and replace the
// phone's copies; a promise with actions still in the outbox keeps them,
// applied again on top. It returns the batch, how many mutations were
// refused, and how many changes were this phone's own records. r.mu is held.
func (r *Replica) applyResponse(req housing.SyncRequest, resp housing.SyncResponse) (Batch, int, int) {
	var b Batch
	now := r.now()
	sent := map[int64]housing.Mutation{}
	for _, m := range req.Mutations {
		sent[m.Seq] = m
	}
	refused, echoed := 0, 0
	for _, res := range resp.Results {
		if res.Status != housing.ResultRejected && res.Status != housing.ResultConflict {
			continue
		}
		refused++
		m := sent[res.Seq]
		b.PutAttention = append(b.PutAttention, housing.Attention{
			ID: fmt.Sprintf("%s:%d", req.DeviceID, res.Seq), DeviceID: req.DeviceID, Seq: res.Seq, OfficerID: r.meta.Officer.ID,
			Kind: m.Kind, RecordID: m.RecordID, Code: res.Code, Reason: res.Reason, Data: m.Data, ReceivedAt: now,
		})
	}
	acked := map[int64]bool{}
	for _, o := range r.outbox {
		if o.Seq <= resp.LastMutation {
			acked[o.Seq] = true
			b.Dequeue = append(b.Dequeue, o.Seq)
		}
	}
	pending := map[string][]housing.Mutation{} // commitment ID → its actions still to send
	for _, o := range r.outbox {
		if !acked[o.Seq] && strings.HasPrefix(o.Kind, "commitment.") && o.Kind != housing.KindCommitmentMake {
			pending[o.RecordID] = append(pending[o.RecordID], o)
		}
	}

	if resp.Reset {
		for k := range r.records {
			if !r.madeHere(k) {
				b.Delete = append(b.Delete, k)
			}
		}
	}
	serverCopy := map[string]json.RawMessage{}
	made := housing.SentRecords(req.Mutations)
	touched := map[string]bool{} // kind/id of every record this request made or acted on
	for _, m := range req.Mutations {
		if kind := housing.MadeKind(m.Kind); kind != "" {
			touched[kind+"/"+m.RecordID] = true
		} else if strings.HasPrefix(m.Kind, "commitment.") {
			touched[housing.RecordCommitment+"/"+m.RecordID] = true
		}
	}
	for _, ch := range resp.Changes {
		key := ch.Kind + "/" + ch.ID
		if !ch.Removed {
			// This phone's own records come back as the server stored
			// them, some as patches on what this request sent.
			data, err := ch.Record(made)
			if err != nil {
				continue // cannot happen with this server; the record stays as it is here
			}
			ch.Data = data
			if touched[key] {
				echoed++ // this phone's own change, coming back: not news
			}
		}
		switch {
		case ch.Kind == housing.RecordAttention:
			var a housing.Attention
			if json.Unmarshal(ch.Data, &a) == nil && !ch.Removed {
				b.PutAttention = append(b.PutAttention, a)
			}
		case ch.Removed:
			b.Delete = append(b.Delete, key, "server/"+ch.ID)
		case ch.Kind == housing.RecordCommitment:
			serverCopy[ch.ID] = ch.Data
		default:
			b.Put = append(b.Put, Record{Key: key, Data: ch.Data})
		}
	}
	// A refused action leaves the phone's copy wrong: rebuild it from the
	// server's copy and the actions still pending.
	for _, res := range resp.Results {
		m := sent[res.Seq]
		if (res.Status == housing.ResultRejected || res.Status == housing.ResultConflict) && strings.HasPrefix(m.Kind, "commitment.") && m.Kind != housing.KindCommitmentMake {
			if _, ok := serverCopy[m.RecordID]; !ok {
				if raw, ok := r.server[m.RecordID]; ok {
					serverCopy[m.RecordID] = raw
				}
			}
		}
	}
	for id, raw := range serverCopy {
		view := raw
		if ps := pending[id]; len(ps) > 0 {
			view = reapply(raw, ps)
			b.Put = append(b.Put, Record{Key: "server/" + id, Data: raw})
		} else {
			b.Delete = append(b.Delete, "server/"+id)
		}
		b.Put = append(b.Put, Record{Key: housing.RecordCommitment + "/" + id, Data: view})
	}
	m := r.meta
	m.Cursor, m.LastSync, m.LastAttempt, m.LastError, m.NeedsSignIn = resp.Cursor, now, now, "", false
	b.Meta = &m
	return b, refused, echoed
}

// reapply applies pending actions, in order, on top of the server's copy of
// a commitment, as they were applied on the phone.
func reapply(raw json.RawMessage, pending []housing.Mutation) json.RawMessage {
	var c housing.Commitment
	if json.Unmarshal(raw, &c) != nil {
		return raw
	}
	for _, m := range pending {
		var a housing.CommitmentAction
		if json.Unmarshal(m.Data, &a) != nil {
			continue
		}
		next, _, err := housing.Transition(c, housing.Act{Kind: m.Kind, Action: a, At: m.HappenedAt, BaseVersion: m.BaseVersion})
		if err == nil {
			c = next
		}
	}
	return mustJSON(c)
}

// madeHere reports whether record key is one this phone made and the server
// has not acknowledged yet. r.mu is held.
func (r *Replica) madeHere(key string) bool {
	i := strings.IndexByte(key, '/')
	if i < 0 {
		return false
	}
	id := key[i+1:]
	for _, o := range r.outbox {
		if o.RecordID == id {
			return true
		}
	}
	return strings.HasPrefix(key, "token/")
}

// commitStatus commits a batch that records how a round trip went. Losing
// it to another tab's write is harmless (the replica has reloaded what that
// tab wrote, and anything it would have dropped from the outbox is answered
// as a duplicate next time), so ErrStale is no error here. r.mu is held.
func (r *Replica) commitStatus(ctx context.Context, b Batch) error {
	if err := r.commit(ctx, b); err != nil && !errors.Is(err, ErrStale) {
		return err
	}
	return nil
}

func (r *Replica) setSyncing(on bool) {
	r.mu.Lock()
	r.isSyncing = on
	r.mu.Unlock()
}
