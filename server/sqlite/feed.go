package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"doorstep/shared/housing"
)

// This file writes the events feed (docs/events.md, migration 010): one
// row per event, in the same transaction as the change that caused it, at
// the one place each change is written. A promise's events are written
// where its history is (insertCommitment, updateCommitment, and the bulk
// insert of new promises in sync_bulk.go), so every history entry that is a
// feed event is one exactly once, whichever way it came (a phone, a
// tenant's link, a complaint routed by the server). Feedback's events are
// written where feedback is (insertFeedback, replaceTenantFeedback).
// IntegrationService.Events reads them (feed_read.go).

// feedRow is one event as the events table keeps it.
type feedRow struct {
	Type      string
	Team      string // the team it belongs to; "" for feedback about no promise
	Team2     string // a second team that reads it; "" for none
	TenancyID string
	Doc       []byte // the housing.FeedEvent without ID and TenancyReference
}

// values are r's values for insertFeedSQL.
func (r feedRow) values() []any {
	return []any{r.Type, r.Team, r.Team2, r.TenancyID, r.Doc}
}

// insertFeedSQL inserts n feed events in one statement; their IDs follow
// the order of the rows.
func insertFeedSQL(n int) string {
	return `INSERT INTO events (type, team, team2, tenancy_id, doc) VALUES ` + placeholders(n, 5)
}

// insertFeed appends rows to the feed inside tx, in their order.
func insertFeed(ctx context.Context, tx *Tx, rows []feedRow) error {
	for len(rows) > 0 {
		part := rows[:min(len(rows), bulkRows)]
		rows = rows[len(part):]
		args := make([]any, 0, 5*len(part))
		for _, r := range part {
			args = append(args, r.values()...)
		}
		if _, err := tx.ExecContext(ctx, insertFeedSQL(len(part)), args...); err != nil {
			return fmt.Errorf("write events feed: %w", err)
		}
	}
	return nil
}

// feedType is the feed event that history entry e is, or "" when it is
// none: the tenant's "yes, this is what we agreed" is recorded on the
// promise but is news to no other system.
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

// promiseFeed returns the feed rows of the history entries of c from the
// stored-th on (those not yet written), each carrying c as it stands after
// them. prev is c before them, for a reassignment's old team; the zero
// Commitment for a new promise.
func promiseFeed(prev, c housing.Commitment, stored int) ([]feedRow, error) {
	var rows []feedRow
	for _, e := range c.History[stored:] {
		r, ok, err := promiseEvent(e, prev, c)
		if err != nil {
			return nil, err
		}
		if ok {
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// promiseEvent is history entry e of commitment c as a feed row, c as it
// stood just after e and prev just before; ok is false when e is no feed
// event (feedType).
func promiseEvent(e housing.Event, prev, c housing.Commitment) (r feedRow, ok bool, err error) {
	typ := feedType(e)
	if typ == "" {
		return r, false, nil
	}
	c.History, c.Token = nil, ""
	ev := housing.FeedEvent{
		Type: typ, At: e.At, Team: c.FunctionID, SiteID: c.SiteID, TenancyID: c.TenancyID,
		By: e.By, ByName: e.ByName, From: e.From, To: e.To, Note: e.Note, Commitment: &c,
	}
	r = feedRow{Type: typ, Team: c.FunctionID, TenancyID: c.TenancyID}
	if typ == housing.FeedPromiseReassigned {
		// The history names the owner too ("repairs/officer-id"); the feed
		// says the teams, and the promise names its new owner. The old
		// team reads the event too, so it learns the promise has left it.
		ev.PrevTeam, ev.From, ev.To = prev.FunctionID, prev.FunctionID, c.FunctionID
		if prev.FunctionID != c.FunctionID {
			r.Team2 = prev.FunctionID
		}
	}
	if r.Doc, err = json.Marshal(ev); err != nil {
		return r, false, fmt.Errorf("encode feed event: %w", err)
	}
	return r, true, nil
}

// feedbackEvent is feedback f as a feed row: complaint.made when f is a
// complaint, else feedback.given. about is the promise f is about, nil for
// none; byName names who gave it. Feedback about a promise belongs to that
// promise's team; a complaint belongs to the complaints team and also to
// the team of the promise it is about; other feedback about no promise
// belongs to no team, so only a token for every team reads it.
func feedbackEvent(f housing.Feedback, about *housing.Commitment, byName string) (feedRow, error) {
	ev := housing.FeedEvent{
		Type: housing.FeedFeedbackGiven, At: f.ReceivedAt, SiteID: f.SiteID, TenancyID: f.TenancyID,
		By: f.CreatedBy, ByName: byName, Note: f.Comment, Feedback: &f,
	}
	if about != nil {
		c := *about
		c.History, c.Token = nil, ""
		ev.Team, ev.Commitment = c.FunctionID, &c
	}
	r := feedRow{Team: ev.Team, TenancyID: f.TenancyID}
	if f.Complaint {
		ev.Type, ev.Team, r.Team = housing.FeedComplaintMade, housing.FunctionComplaints, housing.FunctionComplaints
		if about != nil && about.FunctionID != housing.FunctionComplaints {
			r.Team2 = about.FunctionID
		}
	}
	r.Type = ev.Type
	var err error
	if r.Doc, err = json.Marshal(ev); err != nil {
		return r, fmt.Errorf("encode feed event: %w", err)
	}
	return r, nil
}

// insertFeedbackEvent writes feedback f's feed event inside tx, reading
// the promise it is about, if any, as it now stands.
func insertFeedbackEvent(ctx context.Context, tx *Tx, f housing.Feedback, byName string) error {
	var about *housing.Commitment
	if f.CommitmentID != "" {
		c, err := findCommitment(ctx, tx, f.CommitmentID)
		if err != nil {
			return err
		}
		about = &c
	}
	r, err := feedbackEvent(f, about, byName)
	if err != nil {
		return err
	}
	return insertFeed(ctx, tx, []feedRow{r})
}
