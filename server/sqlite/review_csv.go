package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"doorstep/shared/housing"
)

// The exports write plain cells; making them safe to open in a spreadsheet
// (quoting, formula injection) is the writer's job, at the edge that knows
// the format. Rows are written as they are read, so an export of a year
// holds one row in memory at a time.

// CommitmentColumns is the header row of the commitments export.
var CommitmentColumns = []string{
	"id", "tenancy_ref", "household", "address", "site", "what", "team", "owner", "made_by",
	"received_on", "due_date", "status", "days_over", "kept_on_time", "kept_late", "broken",
	"disputed_by_tenant", "confirmed_by_tenant", "escalated", "tenant_agreement", "tenant_outcome",
	"acknowledged_at", "done_at", "closed_at",
}

// ExportCommitments writes the commitments that reached the server in the
// filter's period (as Measures counts them) within p's scope, oldest first.
// The yes/no columns are the measures of the same names. It reads in one
// read transaction, so the names agree with the rows however long the
// export takes to write.
func (s *ReviewService) ExportCommitments(ctx context.Context, p housing.Principal, f housing.ReviewFilter, w housing.RowWriter) error {
	if err := mayReview(p); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	today := housing.LocalDate(tx.now)
	names, err := readNames(ctx, tx)
	if err != nil {
		return err
	}
	cf := reviewCommitments(p, f)
	cf.ReceivedFrom, cf.ReceivedTo = reviewPeriod(f, today)
	cw, _ := cf.where()
	rows, err := tx.QueryContext(ctx, `
		SELECT id, COALESCE((SELECT reference FROM tenancies t WHERE t.id = commitments.tenancy_id), tenancy_id),
			household, address, site_id, what, function_id, owner_id, made_by, made_by_name,
			received_at, due_date, status, escalated, tenant_agreement, tenant_outcome,
			acknowledged_at, done_at, closed_at
		FROM commitments WHERE `+cw.String()+` ORDER BY received_at, id`, cw.args...)
	if err != nil {
		return fmt.Errorf("export promises: %w", err)
	}
	defer rows.Close()
	if err := w.WriteRow(CommitmentColumns); err != nil {
		return err
	}
	for rows.Next() {
		var c housing.Commitment
		var ref, due, status, received, acked, done, closed string
		if err := rows.Scan(&c.ID, &ref, &c.Household, &c.Address, &c.SiteID, &c.What, &c.FunctionID, &c.OwnerID,
			&c.MadeBy, &c.MadeByName, &received, &due, &status, &c.Escalated, &c.TenantAgreement, &c.TenantOutcome,
			&acked, &done, &closed); err != nil {
			return fmt.Errorf("scan promise for export: %w", err)
		}
		c.DueDate, c.Status, c.ReceivedAt = housing.Date(due), housing.Status(status), parseTime(received)
		c.AcknowledgedAt, c.DoneAt, c.ClosedAt = parseTime(acked), parseTime(done), parseTime(closed)
		owner := ""
		if c.OwnerID != "" {
			owner = names.officer(c.OwnerID)
		}
		daysOver := 0
		if c.Overdue(today) {
			daysOver = c.DaysOver(today)
		}
		err := w.WriteRow([]string{
			c.ID, ref, c.Household, c.Address, names.siteName(c.SiteID), c.What, names.functionName(c.FunctionID), owner,
			nameOr(c.MadeByName, names.officer(c.MadeBy)), string(housing.LocalDate(c.ReceivedAt)), string(c.DueDate),
			string(c.Status), strconv.Itoa(daysOver), yesNo(c.KeptOnTime()), yesNo(c.KeptLate()),
			yesNo(c.Broken()), yesNo(c.DisputedByTenant()), yesNo(c.ConfirmedByTenant()),
			yesNo(c.Escalated), c.TenantAgreement, c.TenantOutcome,
			exportTime(c.AcknowledgedAt), exportTime(c.DoneAt), exportTime(c.ClosedAt),
		})
		if err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export promises: %w", err)
	}
	return nil
}

// FeedbackColumns is the header row of the feedback export: one column per
// Tenant Satisfaction Measure question, holding the answer in words.
var FeedbackColumns = []string{
	"id", "received_on", "tenancy_ref", "site", "source", "recorded_by",
	"TP01", "TP06", "TP07", "TP08", "complaint", "comment", "visit_id", "commitment_id",
}

// ExportFeedback writes the feedback that reached the server in the
// filter's period within p's scope, oldest first, in one read transaction.
func (s *ReviewService) ExportFeedback(ctx context.Context, p housing.Principal, f housing.ReviewFilter, w housing.RowWriter) error {
	if err := mayReview(p); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	names, err := readNames(ctx, tx)
	if err != nil {
		return err
	}
	ff := reviewFeedback(p, f)
	ff.ReceivedFrom, ff.ReceivedTo = reviewPeriod(f, housing.LocalDate(tx.now))
	fw, _ := ff.where()
	answer := func(q housing.Question) string {
		return `COALESCE((SELECT rating FROM feedback_answers a WHERE a.feedback_id = feedback.id AND a.question = '` + string(q) + `'), '')`
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT id, received_at, COALESCE((SELECT reference FROM tenancies t WHERE t.id = feedback.tenancy_id), tenancy_id),
			site_id, source, created_by, `+answer(housing.TP01)+`, `+answer(housing.TP06)+`, `+answer(housing.TP07)+`, `+answer(housing.TP08)+`,
			complaint, comment, visit_id, commitment_id
		FROM feedback WHERE `+fw.String()+` ORDER BY received_at, id`, fw.args...)
	if err != nil {
		return fmt.Errorf("export feedback: %w", err)
	}
	defer rows.Close()
	if err := w.WriteRow(FeedbackColumns); err != nil {
		return err
	}
	for rows.Next() {
		var id, received, ref, site, source, by, tp01, tp06, tp07, tp08, comment, visit, commitment string
		var complaint bool
		if err := rows.Scan(&id, &received, &ref, &site, &source, &by, &tp01, &tp06, &tp07, &tp08,
			&complaint, &comment, &visit, &commitment); err != nil {
			return fmt.Errorf("scan feedback for export: %w", err)
		}
		err := w.WriteRow([]string{
			id, string(housing.LocalDate(parseTime(received))), ref, names.siteName(site), source, names.officer(by),
			ratingWords(housing.TP01, tp01), ratingWords(housing.TP06, tp06), ratingWords(housing.TP07, tp07), ratingWords(housing.TP08, tp08),
			yesNo(complaint), comment, visit, commitment,
		})
		if err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export feedback: %w", err)
	}
	return nil
}

func ratingWords(q housing.Question, r string) string {
	if r == "" {
		return ""
	}
	return housing.Rating(r).LabelFor(q)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// exportTime writes an instant as the landlord's local time, to the minute,
// in a form spreadsheets read as a date and time; "" for none.
func exportTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return housing.LocalTime(t).Format("2006-01-02 15:04")
}
