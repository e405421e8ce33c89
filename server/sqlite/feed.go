package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"doorstep/shared/housing"
)

// This file writes the events feed (docs/events.md, migration 010): one
// row per event, in the same transaction as the change that caused it. A
// promise's events are written by the trigger commitment_events_feed as its
// history is (migration 010), so every way a promise changes reaches the
// feed exactly once and the phones' pushes bind nothing more
// (feed_backfill.go has the same rule in Go, for databases older than the
// feed). Feedback's events are written here, where feedback is
// (insertFeedback, replaceTenantFeedback). IntegrationService.Events reads
// them (feed_read.go).

// feedRow is one event as the events table keeps it (migration 010 says
// why it holds these and no more).
type feedRow struct {
	Type      string
	Team      string // the team it belongs to; "" for feedback about no promise
	Team2     string // a second team that reads it; "" for none
	TenancyID string
	At        time.Time
	By        string
	ByName    string
	From, To  string
	Note      string
	// Commitment is the promise as it stood just after the event, nil for
	// feedback about no promise; only the fields that change are kept.
	Commitment *housing.Commitment
	Feedback   string // housing.Feedback JSON, for feedback events
}

// feedColumns are the columns a feed row is written with, in the order of
// feedRow.values.
var feedColumns = []string{"type", "team", "team2", "tenancy_id", "commitment_id", "at", "by", "by_name",
	"from_value", "to_value", "note", "feedback",
	"function_id", "owner_id", "due_date", "due_time", "status", "escalated", "tenant_agreement", "tenant_outcome",
	"acknowledged_at", "done_at", "closed_at", "version", "due_version", "owner_version"}

// values are r's values for feedColumns.
func (r feedRow) values() []any {
	v := []any{r.Type, r.Team, r.Team2, r.TenancyID, "", formatTime(r.At), r.By, r.ByName, r.From, r.To, r.Note, r.Feedback}
	c := r.Commitment
	if c == nil {
		return append(v, "", "", "", "", "", false, "", "", "", "", "", 0, 0, 0)
	}
	v[4] = c.ID
	return append(v, c.FunctionID, c.OwnerID, string(c.DueDate), c.DueTime, string(c.Status), c.Escalated,
		c.TenantAgreement, c.TenantOutcome, formatTime(c.AcknowledgedAt), formatTime(c.DoneAt), formatTime(c.ClosedAt),
		c.Version, c.DueVersion, c.OwnerVersion)
}

// insertFeed appends r to the feed inside tx.
func insertFeed(ctx context.Context, tx *Tx, r feedRow) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (`+strings.Join(feedColumns, ", ")+`) VALUES `+
		placeholders(1, len(feedColumns)), r.values()...); err != nil {
		return fmt.Errorf("write events feed: %w", err)
	}
	return nil
}

// feedbackEvent is feedback f as a feed row: complaint.made when f is a
// complaint, else feedback.given. about is the promise f is about as it
// now stands, nil for none; byName names who gave it. Feedback about a
// promise belongs to that promise's team; a complaint belongs to the
// complaints team and also to the team of the promise it is about; other
// feedback about no promise belongs to no team, so only a token for every
// team reads it.
func feedbackEvent(f housing.Feedback, about *housing.Commitment, byName string) (feedRow, error) {
	doc, err := json.Marshal(f)
	if err != nil {
		return feedRow{}, fmt.Errorf("encode feedback for the feed: %w", err)
	}
	r := feedRow{Type: housing.FeedFeedbackGiven, TenancyID: f.TenancyID, At: f.ReceivedAt,
		By: f.CreatedBy, ByName: byName, Note: f.Comment, Commitment: about, Feedback: string(doc)}
	if about != nil {
		r.Team = about.FunctionID
	}
	if f.Complaint {
		r.Type, r.Team = housing.FeedComplaintMade, housing.FunctionComplaints
		if about != nil && about.FunctionID != housing.FunctionComplaints {
			r.Team2 = about.FunctionID
		}
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
	return insertFeed(ctx, tx, r)
}
