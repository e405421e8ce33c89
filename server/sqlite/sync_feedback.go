package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"doorstep/shared/housing"
)

// checkFeedbackAbout refuses feedback that names a visit or a promise
// (VisitID, CommitmentID) which is not stored at the feedback's own
// tenancy: feedback is measured and routed by what it is about, so it must
// be about something real at the same home. Not stored and stored elsewhere
// are the same CodeNotFound, so IDs outside the officer's scope cannot be
// probed.
func checkFeedbackAbout(ctx context.Context, tx *Tx, f housing.Feedback) error {
	for _, about := range []struct {
		id, table, message string
	}{
		{f.VisitID, "visits", "The visit this feedback is about was not found at this tenancy."},
		{f.CommitmentID, "commitments", "The promise this feedback is about was not found at this tenancy."},
	} {
		if about.id == "" {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+about.table+` WHERE id = ? AND tenancy_id = ?`, about.id, f.TenancyID).Scan(&n); err != nil {
			return fmt.Errorf("check what feedback is about: %w", err)
		}
		if n == 0 {
			return housing.Errorf(housing.CodeNotFound, "%s", about.message)
		}
	}
	return nil
}

// insertFeedback stores f, its answers and its event in the feed; byName
// names who gave it, for the feed.
func insertFeedback(ctx context.Context, tx *Tx, f housing.Feedback, byName string) error {
	doc, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("encode feedback: %w", err)
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO feedback (id, tenancy_id, visit_id, commitment_id, site_id, source, comment, complaint,
			created_by, device_id, happened_at, received_at, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.TenancyID, f.VisitID, f.CommitmentID, f.SiteID, f.Source, f.Comment, f.Complaint,
		f.CreatedBy, f.DeviceID, formatTime(f.HappenedAt), formatTime(f.ReceivedAt), doc)
	if err != nil {
		return mapError(err, "feedback")
	}
	for q, r := range f.Answers {
		if _, err := tx.ExecContext(ctx, `INSERT INTO feedback_answers (feedback_id, question, rating) VALUES (?, ?, ?)`,
			f.ID, string(q), string(r)); err != nil {
			return mapError(err, "feedback answer")
		}
	}
	return insertFeedbackEvent(ctx, tx, f, byName)
}

// feedbackFilter selects feedback: that matching every field set. The
// zero filter selects all of it, in the order stored.
type feedbackFilter struct {
	IDs          []string
	TenancyID    string
	CommitmentID string
	Source       string // housing.SourceOfficer or housing.SourceTenant
	// Scope keeps to the feedback p may see (the sync scope).
	Scope *housing.Principal
	// The narrowing a supervisor chooses (housing.ReviewFilter): on one of
	// Sites, recorded by CreatedBy. Feedback has no owning function or
	// status.
	Sites     []string
	CreatedBy string
	// ReceivedFrom and ReceivedTo bound the day the server received it, in
	// the landlord's time zone, both included.
	ReceivedFrom, ReceivedTo housing.Date

	Page rowPage // a snapshot's page
}

// where is f's condition on the feedback table, with the query's tail. The
// columns are unqualified: a query joining feedback_answers has none of the
// same names.
func (f feedbackFilter) where() (where, string) {
	var w where
	if len(f.IDs) > 0 {
		w.in("id", f.IDs)
	}
	if f.TenancyID != "" {
		w.and("tenancy_id = ?", f.TenancyID)
	}
	if f.CommitmentID != "" {
		w.and("commitment_id = ?", f.CommitmentID)
	}
	if f.Source != "" {
		w.and("source = ?", f.Source)
	}
	if f.Scope != nil {
		w.scope(*f.Scope, housing.RecordFeedback)
	}
	if len(f.Sites) > 0 {
		w.in("site_id", f.Sites)
	}
	if f.CreatedBy != "" {
		w.and("created_by = ?", f.CreatedBy)
	}
	w.receivedOn(f.ReceivedFrom, f.ReceivedTo)
	return w, w.page(f.Page, orderUnlessIDs(f.IDs, "rowid"))
}

// readFeedback returns the feedback f selects, with its answers.
func readFeedback(ctx context.Context, q sqlQuerier, f feedbackFilter) ([]housing.Feedback, error) {
	w, tail := f.where()
	rows, err := q.QueryContext(ctx, `
		SELECT id, tenancy_id, visit_id, commitment_id, site_id, source, comment, complaint,
			created_by, device_id, happened_at, received_at
		FROM feedback WHERE `+w.String()+tail, w.args...)
	if err != nil {
		return nil, fmt.Errorf("read feedback: %w", err)
	}
	defer rows.Close()
	var out []housing.Feedback
	at := map[string]int{}
	for rows.Next() {
		var fb housing.Feedback
		var happened, received string
		if err := rows.Scan(&fb.ID, &fb.TenancyID, &fb.VisitID, &fb.CommitmentID, &fb.SiteID, &fb.Source, &fb.Comment, &fb.Complaint,
			&fb.CreatedBy, &fb.DeviceID, &happened, &received); err != nil {
			return nil, fmt.Errorf("scan feedback: %w", err)
		}
		fb.HappenedAt, fb.ReceivedAt = parseTime(happened), parseTime(received)
		at[fb.ID] = len(out)
		out = append(out, fb)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read feedback: %w", err)
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]string, len(out))
	for i, fb := range out {
		ids[i] = fb.ID
	}
	var aw where
	aw.in("feedback_id", ids)
	arows, err := q.QueryContext(ctx, `SELECT feedback_id, question, rating FROM feedback_answers WHERE `+aw.String(), aw.args...)
	if err != nil {
		return nil, fmt.Errorf("read feedback answers: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var id, question, rating string
		if err := arows.Scan(&id, &question, &rating); err != nil {
			return nil, fmt.Errorf("scan feedback answer: %w", err)
		}
		fb := &out[at[id]]
		if fb.Answers == nil {
			fb.Answers = map[housing.Question]housing.Rating{}
		}
		fb.Answers[housing.Question(question)] = housing.Rating(rating)
	}
	return out, arows.Err()
}
