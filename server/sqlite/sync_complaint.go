package sqlite

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"doorstep/shared/housing"
)

// complaintNamespace makes the ID of the promise that routes a complaint
// from the ID of the feedback that raised it, so the same feedback can
// never route twice and every server computes the same ID.
var complaintNamespace = uuid.MustParse("6c9f5e0e-3d0a-4b57-9a43-5f1d2c7b8e01")

// ComplaintID returns the ID of the promise that routes the complaint
// raised by the feedback with feedbackID, so a phone or the demo can act on
// it: the complaints team acknowledges it by this ID.
func ComplaintID(feedbackID string) string {
	return uuid.NewSHA1(complaintNamespace, []byte(feedbackID)).String()
}

// complaintAckDays is the Housing Ombudsman's Complaint Handling Code
// limit for acknowledging a stage 1 complaint: 5 working days; the promise
// is checked against that standard.
const (
	complaintAckDays     = 5
	complaintAckStandard = "complaints.stage1_ack"
)

// routeComplaint turns feedback marked "this is a complaint" into a promise
// owned by the complaints team: acknowledge the complaint at stage 1 within
// 5 working days of the day the landlord became aware of it, which is when
// the officer recorded it at the door, within the bounds BecameAware sets. A promise, rather than a
// flag on the feedback, is how a handoff gets an owner, a due date checked
// against the Code, a place in the "not yet acknowledged" and "overdue"
// queues and a history, like every other handoff between teams. It is made
// by the officer who recorded the complaint, so it stays in their scope, and
// it has no tenant link (the tenant has no token for it). madeBy is the
// officer who recorded it, or for feedback through a tenant's link the
// officer who made that link's promise.
func (a *applier) routeComplaint(ctx context.Context, f housing.Feedback, t housing.Tenancy, madeBy, madeByName string) error {
	var n int
	if err := a.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM functions WHERE id = ?`, housing.FunctionComplaints).Scan(&n); err != nil {
		return fmt.Errorf("find complaints team: %w", err)
	}
	if n == 0 {
		return nil // a landlord without a complaints team: the feedback stays marked as a complaint
	}
	aware := housing.BecameAware(f.HappenedAt, a.tx.now, a.tx.awareWindow)
	c := housing.Commitment{
		ID:         ComplaintID(f.ID),
		TenancyID:  t.ID,
		VisitID:    f.VisitID,
		SiteID:     t.SiteID,
		Household:  t.Household,
		Address:    t.Address,
		MadeBy:     madeBy,
		MadeByName: madeByName,
		FunctionID: housing.FunctionComplaints,
		What:       complaintWhat(f.Comment),
		StandardID: complaintAckStandard,
		DueDate:    complaintDue(aware.At),
		// Both times are kept: when the officer recorded it and when the
		// server received it.
		Meta: housing.Meta{CreatedBy: f.CreatedBy, DeviceID: f.DeviceID, HappenedAt: f.HappenedAt, ReceivedAt: a.tx.now},
	}
	// The history's first entry says why when the clock did not start at the
	// officer's recorded time, for the supervisor and complaints team to see.
	// The team was found above and no officer is named, so there is no owner
	// to check (insertNewCommitment's checkOwner).
	c, hash := a.opened(c)
	c.History[0].Note = aware.Note
	if err := insertCommitment(ctx, a.tx, c, hash); err != nil {
		return err
	}
	// Logged as the server's own change (no device), so it also reaches the
	// phone that sent the complaint, which did not make this promise itself.
	_, err := logChange(ctx, a.tx, a.madeChange(c, ""))
	return err
}

// complaintWhat says what the complaints team promises, quoting the start
// of the complaint.
func complaintWhat(comment string) string {
	const prefix = "Acknowledge this complaint (stage 1): "
	max := housing.MaxWhat - utf8.RuneCountInString(prefix)
	r := []rune(comment)
	if len(r) > max {
		r = append(r[:max-1], '…')
	}
	return prefix + string(r)
}

// complaintDue is the stage 1 acknowledgement date for a complaint the
// landlord became aware of at t: 5 working days after its date in the
// landlord's time zone.
func complaintDue(t time.Time) housing.Date {
	return housing.AddWorkingDays(housing.LocalDate(t), complaintAckDays)
}
