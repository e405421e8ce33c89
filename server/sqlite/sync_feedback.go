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

func insertFeedback(ctx context.Context, tx *Tx, f housing.Feedback) error {
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
	return nil
}

// readFeedback returns the feedback matching where (see sqlQuerier), with
// its answers.
func readFeedback(ctx context.Context, q sqlQuerier, where string, args ...any) ([]housing.Feedback, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT id, tenancy_id, visit_id, commitment_id, site_id, source, comment, complaint,
			created_by, device_id, happened_at, received_at
		FROM feedback WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read feedback: %w", err)
	}
	defer rows.Close()
	var out []housing.Feedback
	at := map[string]int{}
	for rows.Next() {
		var f housing.Feedback
		var happened, received string
		if err := rows.Scan(&f.ID, &f.TenancyID, &f.VisitID, &f.CommitmentID, &f.SiteID, &f.Source, &f.Comment, &f.Complaint,
			&f.CreatedBy, &f.DeviceID, &happened, &received); err != nil {
			return nil, fmt.Errorf("scan feedback: %w", err)
		}
		f.HappenedAt, f.ReceivedAt = parseTime(happened), parseTime(received)
		at[f.ID] = len(out)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read feedback: %w", err)
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]string, len(out))
	for i, f := range out {
		ids[i] = f.ID
	}
	in, args := inList("feedback_id", ids)
	arows, err := q.QueryContext(ctx, `SELECT feedback_id, question, rating FROM feedback_answers WHERE `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("read feedback answers: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var id, question, rating string
		if err := arows.Scan(&id, &question, &rating); err != nil {
			return nil, fmt.Errorf("scan feedback answer: %w", err)
		}
		f := &out[at[id]]
		if f.Answers == nil {
			f.Answers = map[housing.Question]housing.Rating{}
		}
		f.Answers[housing.Question(question)] = housing.Rating(rating)
	}
	return out, arows.Err()
}
