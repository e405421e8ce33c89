package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"doorstep/shared/housing"
)

// backfillFeed gives a database that held promises before the events feed
// existed (the demo, a landlord who ran an earlier release) a feed from its
// first promise: one event per history entry and per feedback, as the
// feed's trigger (migration 010) and feed.go would have written them, in
// the order they happened. It
// runs once, inside the transaction of migration 010 (migrationSteps), so
// the feed is either whole or not there; on a new database it finds
// nothing to do.
//
// A promise's history says what each step changed, so the promise as it
// stood after each one is found by playing its history again through the
// state machine (replayPromise). Events are put in order by the time the
// server received them and, within one transaction (one time), by the
// change log, whose entries match the history one for one and are numbered
// in the order they were written; the rows are staged in a table and
// written in that order by one statement, so the memory used does not grow
// with the history.
func backfillFeed(ctx context.Context, tx *Tx) error {
	var found bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM commitments) OR EXISTS (SELECT 1 FROM feedback)`).Scan(&found); err != nil {
		return fmt.Errorf("look for records to backfill: %w", err)
	}
	if !found {
		return nil
	}
	// A plain table, not a TEMP one: temp_store is MEMORY (db.go), and
	// this table holds every event.
	if _, err := tx.ExecContext(ctx, `CREATE TABLE feed_backfill AS SELECT '' AS record_id, 0 AS k, `+
		strings.Join(feedColumns, ", ")+` FROM events WHERE 0`); err != nil {
		return fmt.Errorf("stage backfill: %w", err)
	}
	if err := stagePromiseEvents(ctx, tx); err != nil {
		return err
	}
	if err := stageFeedbackEvents(ctx, tx); err != nil {
		return err
	}
	// k is an event's place among its record's entries written at the same
	// time, matched with the change log's entries for that record and
	// time; an event with no match goes after those that have one.
	staged := make([]string, len(feedColumns))
	for i, col := range feedColumns {
		staged[i] = "b." + col
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO events (`+strings.Join(feedColumns, ", ")+`)
		SELECT `+strings.Join(staged, ", ")+`
		FROM feed_backfill b LEFT JOIN (
			SELECT record_id, at, seq, ROW_NUMBER() OVER (PARTITION BY record_id, at ORDER BY seq) AS k
			FROM changes WHERE kind IN (?, ?)
		) c ON c.record_id = b.record_id AND c.at = b.at AND c.k = b.k
		ORDER BY b.at, COALESCE(c.seq, 9223372036854775807), b.rowid`,
		housing.RecordCommitment, housing.RecordFeedback); err != nil {
		return fmt.Errorf("backfill events feed: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE feed_backfill`); err != nil {
		return fmt.Errorf("drop backfill stage: %w", err)
	}
	return nil
}

// feedType is the feed event that history entry e is, or "" when it is
// none: the tenant's "yes, this is what we agreed" is recorded on the
// promise but is news to no other system. The trigger
// commitment_events_feed (migration 010) holds the same rule.
func feedType(e housing.Event) string {
	switch e.Kind {
	case housing.KindCommitmentMake:
		return housing.FeedPromiseMade
	case housing.KindCommitmentAcknowledge:
		return housing.FeedPromisePickedUp
	case housing.KindCommitmentExtend:
		return housing.FeedPromiseExtended
	case housing.KindCommitmentReassign:
		return housing.FeedPromiseReassigned
	case housing.KindCommitmentEscalate:
		return housing.FeedPromiseEscalated
	case housing.KindCommitmentComplete:
		return housing.FeedPromiseDone
	case housing.KindCommitmentCancel:
		return housing.FeedPromiseCancelled
	case housing.KindCommitmentBreak:
		return housing.FeedPromiseBroken
	case housing.KindCommitmentTenant:
		// The state machine writes the tenant's answer as To: the status
		// it moved the promise to (kept, disputed), or their answer to "is
		// this what we agreed?", which disputes the promise itself.
		switch e.To {
		case string(housing.StatusKept):
			return housing.FeedPromiseKept
		case string(housing.StatusDisputed), housing.TenantNotAgreed:
			return housing.FeedPromiseDisputed
		}
	}
	return ""
}

// promiseEvent is history entry e of commitment c as a feed row, c as it
// stood just after e; ok is false when e is no feed event (feedType).
func promiseEvent(e housing.Event, c housing.Commitment) (r feedRow, ok bool) {
	typ := feedType(e)
	if typ == "" {
		return r, false
	}
	r = feedRow{Type: typ, Team: c.FunctionID, TenancyID: c.TenancyID,
		At: e.At, By: e.By, ByName: e.ByName, From: e.From, To: e.To, Note: e.Note, Commitment: &c}
	if typ == housing.FeedPromiseReassigned {
		// The history names the owner too ("repairs/officer-id"); the feed
		// says the teams, and the promise names its new owner. The old
		// team reads the event too, so it learns the promise has left it.
		prev, _ := splitOwnerLabel(e.From)
		r.From, r.To = prev, c.FunctionID
		if prev != c.FunctionID {
			r.Team2 = prev
		}
	}
	return r, true
}

// backfillPage is how many records the backfill reads at a time.
const backfillPage = 500

// stagedRow is a feed row with what orders it among the others at its
// time.
type stagedRow struct {
	feedRow
	RecordID string
	K        int // its place among RecordID's entries at the same time, from 1
}

// stage writes rows to feed_backfill, many to a statement.
func stage(ctx context.Context, tx *Tx, rows []stagedRow) error {
	cols := len(feedColumns) + 2
	for len(rows) > 0 {
		part := rows[:min(len(rows), bulkRows)]
		rows = rows[len(part):]
		args := make([]any, 0, cols*len(part))
		for _, r := range part {
			args = append(append(args, r.RecordID, r.K), r.values()...)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO feed_backfill (record_id, k, `+strings.Join(feedColumns, ", ")+`) VALUES `+
			placeholders(len(part), cols), args...); err != nil {
			return fmt.Errorf("stage backfill: %w", err)
		}
	}
	return nil
}

// pageIDs calls fn with the IDs of table's rows, backfillPage at a time,
// in the order stored.
func pageIDs(ctx context.Context, tx *Tx, table string, fn func([]string) error) error {
	var after int64
	for {
		rows, err := tx.QueryContext(ctx, `SELECT rowid, id FROM `+table+` WHERE rowid > ? ORDER BY rowid LIMIT ?`, after, backfillPage)
		if err != nil {
			return fmt.Errorf("page %s: %w", table, err)
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&after, &id); err != nil {
				rows.Close()
				return fmt.Errorf("page %s: %w", table, err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("page %s: %w", table, err)
		}
		if len(ids) == 0 {
			return nil
		}
		if err := fn(ids); err != nil {
			return err
		}
	}
}

// stagePromiseEvents stages the events of every promise's history.
func stagePromiseEvents(ctx context.Context, tx *Tx) error {
	return pageIDs(ctx, tx, "commitments", func(ids []string) error {
		cs, err := readCommitments(ctx, tx, commitmentFilter{IDs: ids})
		if err != nil {
			return err
		}
		var rows []stagedRow
		for _, c := range cs {
			states := replayPromise(c)
			at := map[string]int{}
			for i, e := range c.History {
				when := formatTime(e.At)
				at[when]++
				if r, ok := promiseEvent(e, states[i]); ok {
					rows = append(rows, stagedRow{feedRow: r, RecordID: c.ID, K: at[when]})
				}
			}
		}
		return stage(ctx, tx, rows)
	})
}

// stageFeedbackEvents stages an event for every piece of feedback, as it
// now stands (a tenant's replaced answer once, in its latest form), with
// the promise it is about as it stood when the feedback was received.
func stageFeedbackEvents(ctx context.Context, tx *Tx) error {
	names := map[string]string{housing.TenantActor: tenantPrincipal.Name}
	return pageIDs(ctx, tx, "feedback", func(ids []string) error {
		fs, err := readFeedback(ctx, tx, feedbackFilter{IDs: ids})
		if err != nil {
			return err
		}
		var rows []stagedRow
		for _, f := range fs {
			name, ok := names[f.CreatedBy]
			if !ok {
				err := tx.QueryRowContext(ctx, `SELECT name FROM officers WHERE id = ?`, f.CreatedBy).Scan(&name)
				if err != nil && !errNoRows(err) {
					return fmt.Errorf("read officer's name: %w", err)
				}
				names[f.CreatedBy] = name
			}
			var about *housing.Commitment
			if f.CommitmentID != "" {
				c, err := findCommitment(ctx, tx, f.CommitmentID)
				if err != nil {
					return err
				}
				about = stateAt(c, replayPromise(c), formatTime(f.ReceivedAt))
			}
			r, err := feedbackEvent(f, about, name)
			if err != nil {
				return err
			}
			rows = append(rows, stagedRow{feedRow: r, RecordID: f.ID, K: 1})
		}
		return stage(ctx, tx, rows)
	})
}

// stateAt is the promise c as it stood at the stored time at: after the
// last of its history entries received by then (states are those of
// replayPromise), or as it is now when none was.
func stateAt(c housing.Commitment, states []housing.Commitment, at string) *housing.Commitment {
	for i := len(c.History) - 1; i >= 0; i-- {
		if formatTime(c.History[i].At) <= at {
			return &states[i]
		}
	}
	return &c
}

// replayPromise returns c as it stood after each entry of its history, by
// playing the history again through the state machine from the promise as
// it was made: the due date and owner it was made with are the first
// change's "from" values. A step the state machine would not take again (a
// history written by an older release, say) leaves c as it now is for it
// and every later step. A due time is not in the history, so an extended
// promise carries no due time before its last extension.
func replayPromise(c housing.Commitment) []housing.Commitment {
	states := make([]housing.Commitment, len(c.History))
	if len(c.History) == 0 {
		return states
	}
	s := c
	s.History = c.History[:1:1]
	s.Status, s.Escalated, s.TenantAgreement, s.TenantOutcome = housing.StatusOpen, false, "", ""
	s.AcknowledgedAt, s.DoneAt, s.ClosedAt = time.Time{}, time.Time{}, time.Time{}
	s.Version, s.DueVersion, s.OwnerVersion = 1, 1, 1
	lastExtend := -1
	for i, e := range c.History {
		if e.Kind == housing.KindCommitmentExtend {
			lastExtend = i
		}
	}
	if d := housing.Date(c.History[0].To); d.Valid() {
		s.DueDate = d
	}
	if lastExtend >= 0 {
		s.DueTime = ""
	}
	for _, e := range c.History[1:] {
		if e.Kind == housing.KindCommitmentReassign {
			s.FunctionID, s.OwnerID = splitOwnerLabel(e.From)
			break
		}
	}
	states[0] = s
	replayed := true
	for i := 1; i < len(c.History); i++ {
		e := c.History[i]
		if replayed {
			act := housing.Act{Kind: e.Kind, By: e.By, ByName: e.ByName, At: e.At, Action: housing.CommitmentAction{Reason: e.Note}}
			switch e.Kind {
			case housing.KindCommitmentExtend:
				act.Action.DueDate = housing.Date(e.To)
				act.On = act.Action.DueDate // it was within bounds when it was set
				if i == lastExtend {
					act.Action.DueTime = c.DueTime
				}
			case housing.KindCommitmentReassign:
				act.Action.FunctionID, act.Action.OwnerID = splitOwnerLabel(e.To)
			case housing.KindCommitmentTenant:
				act.Action.Answer = tenantAnswer(e.To)
			}
			next, outcome, err := housing.Transition(s, act)
			if err != nil || outcome != housing.Changed {
				replayed = false
			} else {
				s = next
			}
		}
		if replayed {
			states[i] = s
		} else {
			states[i] = c
		}
	}
	return states
}

// splitOwnerLabel reads the team and officer of a reassignment's history
// ("repairs" or "repairs/officer-id", as the state machine writes them).
func splitOwnerLabel(label string) (function, owner string) {
	function, owner, _ = strings.Cut(label, "/")
	return function, owner
}

// tenantAnswer is the tenant's answer behind a history entry's "to": the
// status it moved the promise to, or their answer itself.
func tenantAnswer(to string) string {
	switch to {
	case string(housing.StatusKept):
		return housing.TenantDone
	case string(housing.StatusDisputed):
		return housing.TenantNotDone
	}
	return to
}
