package housing

import (
	"time"
	"unicode/utf8"
)

// This file is the commitment state machine, the one place that says which
// intent may move a commitment from which status to which:
//
//	open ──acknowledge──▶ acknowledged ──complete──▶ done ──tenant "done"──▶ kept
//	  │                        │                       └──tenant "not done"──▶ disputed ──complete──▶ done
//	  ├──────complete──────────┘
//	  ├── cancel (reason) ──▶ cancelled         (from open, acknowledged, broken)
//	  └── break (apology) ──▶ broken            (from open, acknowledged; supervisors only)
//	broken ──complete──▶ done (kept late)
//
// reassign and extend keep the status (reassign sends an acknowledged
// promise back to open, for the new owner to pick up; extend reopens a broken
// one) and write the old and new value to the history. escalate flags the
// promise for supervisors. The tenant's answer to "is this what we agreed?"
// is recorded beside the status, not in it.
//
// A repeated intent is a success that changes nothing, so retries are safe.
// An intent the status does not allow is refused with CodeIllegal and a
// reason. An extend or reassign based on a version older than the last
// change to the due date or owner keeps the server's value: a conflict.

// Outcome says what Transition did.
type Outcome int

const (
	Changed    Outcome = iota // the commitment changed; Version went up
	Unchanged                 // a repeat: nothing to do, and that is success
	Conflicted                // stale due date or owner: the server's value stands
)

// Act is one intent applied to a commitment, with who made it and when the
// server received it.
type Act struct {
	Kind        string
	Action      CommitmentAction
	By          string // officer ID, or TenantActor
	ByName      string
	At          time.Time // server time
	BaseVersion int       // the version the actor saw; 0 when unknown

	// On is the landlord's day the actor made the intent (MadeOn: the
	// phone's day within bounds, as the intent may reach the server days
	// later); "" means the day of At. A new due date may not be before it.
	On Date
}

// Transition applies a to c and returns the commitment afterwards. It checks
// the state machine only; Authorize says whether the actor may try.
func Transition(c Commitment, a Act) (Commitment, Outcome, error) {
	if utf8.RuneCountInString(a.Action.Reason) > MaxComment {
		return c, Unchanged, Invalid(FieldReason, "Keep the reason under %d characters.", MaxComment)
	}
	if c.CaseID != "" {
		switch a.Kind {
		case KindCommitmentAcknowledge, KindCommitmentComplete, KindCommitmentCancel, KindCommitmentExtend:
			return c, Unchanged, Errorf(CodeIllegal, "This promise is a step of a case (%s); record it on the case, which keeps the law's dates.", StepLabel(c.Step))
		}
	}
	next := c
	next.History = append([]Event(nil), c.History...)
	ev := Event{Kind: a.Kind, At: a.At, By: a.By, ByName: a.ByName, Note: a.Action.Reason}

	switch a.Kind {
	case KindCommitmentAcknowledge:
		switch c.Status {
		case StatusAcknowledged, StatusDone, StatusKept, StatusDisputed:
			return c, Unchanged, nil
		case StatusOpen:
			next.Status, next.AcknowledgedAt = StatusAcknowledged, a.At
		default:
			return c, Unchanged, illegal(c, "picked up")
		}

	case KindCommitmentComplete:
		switch c.Status {
		case StatusDone, StatusKept:
			return c, Unchanged, nil
		case StatusOpen, StatusAcknowledged, StatusBroken, StatusDisputed:
			next.Status, next.DoneAt, next.TenantOutcome = StatusDone, a.At, ""
			if next.AcknowledgedAt.IsZero() {
				next.AcknowledgedAt = a.At
			}
		default:
			return c, Unchanged, illegal(c, "marked done")
		}

	case KindCommitmentCancel:
		if blank(a.Action.Reason) {
			return c, Unchanged, Invalid(FieldReason, "Say why the promise is cancelled; the tenant will see it.")
		}
		switch c.Status {
		case StatusCancelled:
			return c, Unchanged, nil
		case StatusOpen, StatusAcknowledged, StatusBroken:
			next.Status, next.ClosedAt = StatusCancelled, a.At
		default:
			return c, Unchanged, illegal(c, "cancelled")
		}

	case KindCommitmentBreak:
		if blank(a.Action.Reason) {
			return c, Unchanged, Invalid(FieldReason, "Write an apology for the tenant: it is shown on their page.")
		}
		switch c.Status {
		case StatusBroken:
			return c, Unchanged, nil
		case StatusOpen, StatusAcknowledged:
			next.Status = StatusBroken
		default:
			return c, Unchanged, illegal(c, "marked broken")
		}

	case KindCommitmentEscalate:
		if blank(a.Action.Reason) {
			return c, Unchanged, Invalid(FieldReason, "Say why the promise needs escalating.")
		}
		if c.Status.Closed() {
			return c, Unchanged, illegal(c, "escalated")
		}
		if c.Escalated {
			return c, Unchanged, nil
		}
		next.Escalated = true

	case KindCommitmentExtend:
		d := a.Action.DueDate
		switch {
		case !d.Valid():
			return c, Unchanged, Invalid(FieldDueDate, "Choose the new due date.")
		case a.Action.DueTime != "" && !validClock(a.Action.DueTime):
			return c, Unchanged, Invalid(FieldDueTime, "The due time must look like 14:30.")
		case blank(a.Action.Reason):
			return c, Unchanged, Invalid(FieldReason, "Say why the date is changing; the tenant will see it.")
		case d == c.DueDate && a.Action.DueTime == c.DueTime:
			return c, Unchanged, nil
		}
		made := a.On
		if made == "" {
			made = LocalDate(a.At)
		}
		if err := CheckDueDate(d, made); err != nil {
			return c, Unchanged, err
		}
		switch {
		case !c.Status.Pending():
			return c, Unchanged, illegal(c, "given a new date")
		case a.BaseVersion > 0 && a.BaseVersion < c.DueVersion:
			return c, Conflicted, Errorf(CodeConflict, "The due date was changed to %s while you were offline; that date stands.", c.DueDate.Human())
		}
		ev.From, ev.To = string(c.DueDate), string(d)
		next.DueDate, next.DueTime = d, a.Action.DueTime
		next.DueVersion = c.Version + 1
		if next.Status == StatusBroken {
			next.Status = StatusOpen
			if !next.AcknowledgedAt.IsZero() {
				next.Status = StatusAcknowledged
			}
		}

	case KindCommitmentReassign:
		fn, owner := a.Action.FunctionID, a.Action.OwnerID
		switch {
		case fn == "":
			return c, Unchanged, Invalid(FieldFunction, "Choose the team that will own the promise.")
		case blank(a.Action.Reason):
			return c, Unchanged, Invalid(FieldReason, "Say why the promise is moving to another owner.")
		case fn == c.FunctionID && owner == c.OwnerID:
			return c, Unchanged, nil
		case !c.Status.Pending() && c.Status != StatusDisputed:
			return c, Unchanged, illegal(c, "reassigned")
		case a.BaseVersion > 0 && a.BaseVersion < c.OwnerVersion:
			return c, Conflicted, Errorf(CodeConflict, "The promise was given to another owner while you were offline; that owner stands.")
		}
		ev.From, ev.To = ownerLabel(c.FunctionID, c.OwnerID), ownerLabel(fn, owner)
		next.FunctionID, next.OwnerID = fn, owner
		next.OwnerVersion = c.Version + 1
		if next.Status == StatusAcknowledged {
			next.Status, next.AcknowledgedAt = StatusOpen, time.Time{}
		}

	case KindCommitmentTenant:
		switch a.Action.Answer {
		case TenantAgreed, TenantNotAgreed:
			if c.TenantAgreement == a.Action.Answer {
				return c, Unchanged, nil
			}
			if c.Status == StatusCancelled {
				return c, Unchanged, illegal(c, "answered")
			}
			ev.To = a.Action.Answer
			next.TenantAgreement = a.Action.Answer
		case TenantDone, TenantNotDone:
			want := StatusKept
			if a.Action.Answer == TenantNotDone {
				want = StatusDisputed
			}
			switch c.Status {
			case want:
				return c, Unchanged, nil
			case StatusDone, StatusKept, StatusDisputed:
				ev.From, ev.To = string(c.Status), string(want)
				next.Status, next.TenantOutcome = want, a.Action.Answer
				if want == StatusKept {
					next.ClosedAt = a.At
				} else {
					next.ClosedAt = time.Time{}
				}
			default:
				return c, Unchanged, Errorf(CodeIllegal, "This promise has not been marked done yet.")
			}
		default:
			return c, Unchanged, Invalid(FieldAnswer, "Choose one of the answers.")
		}

	default:
		return c, Unchanged, Invalid(FieldKind, "%q is not something that can be done to a promise.", a.Kind)
	}

	if ev.To == "" && next.Status != c.Status {
		ev.From, ev.To = string(c.Status), string(next.Status)
	}
	next.Version = c.Version + 1
	next.History = append(next.History, ev)
	return next, Changed, nil
}

// Authorize says whether p may send intent kind for commitment c, which the
// caller has already found in p's scope (Principal.Visible):
//   - the owning function, the named owner and the maker move the work along;
//   - only the maker, the owner or a supervisor cancels, reassigns, extends or
//     escalates: only supervisors act on others' commitments;
//   - only supervisors mark a promise broken;
//   - only the tenant, through their link, answers for the tenant.
func Authorize(p Principal, c Commitment, kind string) error {
	mine := c.MadeBy == p.OfficerID || (c.OwnerID != "" && c.OwnerID == p.OfficerID)
	team := p.InFunction(c.FunctionID)
	boss := p.Role.AtLeast(RoleSupervisor)
	// Each refusal says who may, so it is true whoever is asking: the
	// maker of a promise is refused a break because they are not a
	// supervisor, not because someone else made it.
	switch kind {
	case KindCommitmentAcknowledge, KindCommitmentComplete:
		if !(mine || team || boss) {
			return Errorf(CodeForbidden, "Only the team that owns this promise, the officer who made or owns it, or a supervisor can do that.")
		}
	case KindCommitmentCancel, KindCommitmentReassign, KindCommitmentExtend, KindCommitmentEscalate:
		if !(mine || boss) {
			return Errorf(CodeForbidden, "Only the officer who made or owns this promise, or a supervisor, can do that.")
		}
	case KindCommitmentBreak:
		if !boss {
			return Errorf(CodeForbidden, "Only a supervisor can mark a promise broken.")
		}
	case KindCommitmentTenant:
		if p.OfficerID != TenantActor {
			return Errorf(CodeForbidden, "Only the tenant can answer for the tenant, through their link.")
		}
	default:
		return Invalid(FieldKind, "%q is not something that can be done to a promise.", kind)
	}
	return nil
}

func illegal(c Commitment, what string) error {
	return Errorf(CodeIllegal, "This promise is %s, so it cannot be %s.", lowerLabel(c.Status), what)
}

func lowerLabel(s Status) string {
	l := []rune(s.Label())
	if len(l) > 0 && l[0] >= 'A' && l[0] <= 'Z' {
		l[0] += 'a' - 'A'
	}
	return string(l)
}

func ownerLabel(function, owner string) string {
	if owner == "" {
		return function
	}
	return function + "/" + owner
}
