package housing_test

import (
	"testing"
	"time"

	"doorstep/shared/housing"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func commitmentIn(status housing.Status) housing.Commitment {
	return housing.Commitment{
		ID: "0193a1b2-0000-7000-8000-000000000001", TenancyID: "t1", SiteID: "riverside",
		MadeBy: "maker", FunctionID: housing.FunctionRepairs, What: "Fix the kitchen tap",
		DueDate: "2026-11-30", Status: status, Version: 3, DueVersion: 1, OwnerVersion: 1,
	}
}

func act(kind string, a housing.CommitmentAction) housing.Act {
	return housing.Act{Kind: kind, Action: a, By: "someone", At: t0}
}

func TestTransition(t *testing.T) {
	reason := housing.CommitmentAction{Reason: "Parts on order"}
	tests := []struct {
		name    string
		from    housing.Status
		act     housing.Act
		want    housing.Status
		outcome housing.Outcome
		code    string
	}{
		{"AcknowledgeOpen", housing.StatusOpen, act(housing.KindCommitmentAcknowledge, housing.CommitmentAction{}), housing.StatusAcknowledged, housing.Changed, ""},
		{"AcknowledgeAgainIsSuccess", housing.StatusAcknowledged, act(housing.KindCommitmentAcknowledge, housing.CommitmentAction{}), housing.StatusAcknowledged, housing.Unchanged, ""},
		{"AcknowledgeCancelledIsIllegal", housing.StatusCancelled, act(housing.KindCommitmentAcknowledge, housing.CommitmentAction{}), housing.StatusCancelled, housing.Unchanged, housing.CodeIllegal},
		{"CompleteAcknowledged", housing.StatusAcknowledged, act(housing.KindCommitmentComplete, housing.CommitmentAction{}), housing.StatusDone, housing.Changed, ""},
		{"CompleteOpenSkipsAcknowledge", housing.StatusOpen, act(housing.KindCommitmentComplete, housing.CommitmentAction{}), housing.StatusDone, housing.Changed, ""},
		{"CompleteBrokenIsKeptLate", housing.StatusBroken, act(housing.KindCommitmentComplete, housing.CommitmentAction{}), housing.StatusDone, housing.Changed, ""},
		{"CompleteDisputedRedoes", housing.StatusDisputed, act(housing.KindCommitmentComplete, housing.CommitmentAction{}), housing.StatusDone, housing.Changed, ""},
		{"CompleteCancelledIsIllegal", housing.StatusCancelled, act(housing.KindCommitmentComplete, housing.CommitmentAction{}), housing.StatusCancelled, housing.Unchanged, housing.CodeIllegal},
		{"TenantDoneKeeps", housing.StatusDone, act(housing.KindCommitmentTenant, housing.CommitmentAction{Answer: housing.TenantDone}), housing.StatusKept, housing.Changed, ""},
		{"TenantNotDoneDisputes", housing.StatusDone, act(housing.KindCommitmentTenant, housing.CommitmentAction{Answer: housing.TenantNotDone}), housing.StatusDisputed, housing.Changed, ""},
		{"TenantDoneAgainIsSuccess", housing.StatusKept, act(housing.KindCommitmentTenant, housing.CommitmentAction{Answer: housing.TenantDone}), housing.StatusKept, housing.Unchanged, ""},
		{"TenantDoneBeforeDoneIsIllegal", housing.StatusOpen, act(housing.KindCommitmentTenant, housing.CommitmentAction{Answer: housing.TenantDone}), housing.StatusOpen, housing.Unchanged, housing.CodeIllegal},
		{"TenantAgreesKeepsStatus", housing.StatusOpen, act(housing.KindCommitmentTenant, housing.CommitmentAction{Answer: housing.TenantAgreed}), housing.StatusOpen, housing.Changed, ""},
		{"TenantUnknownAnswer", housing.StatusOpen, act(housing.KindCommitmentTenant, housing.CommitmentAction{Answer: "maybe"}), housing.StatusOpen, housing.Unchanged, housing.CodeInvalid},
		{"CancelNeedsReason", housing.StatusOpen, act(housing.KindCommitmentCancel, housing.CommitmentAction{}), housing.StatusOpen, housing.Unchanged, housing.CodeInvalid},
		{"Cancel", housing.StatusAcknowledged, act(housing.KindCommitmentCancel, reason), housing.StatusCancelled, housing.Changed, ""},
		{"CancelKeptIsIllegal", housing.StatusKept, act(housing.KindCommitmentCancel, reason), housing.StatusKept, housing.Unchanged, housing.CodeIllegal},
		{"BreakNeedsApology", housing.StatusOpen, act(housing.KindCommitmentBreak, housing.CommitmentAction{}), housing.StatusOpen, housing.Unchanged, housing.CodeInvalid},
		{"Break", housing.StatusAcknowledged, act(housing.KindCommitmentBreak, housing.CommitmentAction{Reason: "Sorry: the contractor did not come."}), housing.StatusBroken, housing.Changed, ""},
		{"BreakDoneIsIllegal", housing.StatusDone, act(housing.KindCommitmentBreak, reason), housing.StatusDone, housing.Unchanged, housing.CodeIllegal},
		{"ExtendBrokenReopens", housing.StatusBroken, act(housing.KindCommitmentExtend, housing.CommitmentAction{DueDate: "2026-12-04", Reason: "Parts on order"}), housing.StatusOpen, housing.Changed, ""},
		{"ExtendSameDateIsSuccess", housing.StatusOpen, act(housing.KindCommitmentExtend, housing.CommitmentAction{DueDate: "2026-11-30", Reason: "x"}), housing.StatusOpen, housing.Unchanged, ""},
		{"ExtendBadDate", housing.StatusOpen, act(housing.KindCommitmentExtend, housing.CommitmentAction{DueDate: "2026-02-30", Reason: "x"}), housing.StatusOpen, housing.Unchanged, housing.CodeInvalid},
		{"ExtendDoneIsIllegal", housing.StatusDone, act(housing.KindCommitmentExtend, housing.CommitmentAction{DueDate: "2026-12-04", Reason: "x"}), housing.StatusDone, housing.Unchanged, housing.CodeIllegal},
		{"ReassignSendsBackToOpen", housing.StatusAcknowledged, act(housing.KindCommitmentReassign, housing.CommitmentAction{FunctionID: housing.FunctionIncome, Reason: "It is about rent"}), housing.StatusOpen, housing.Changed, ""},
		{"ReassignSameOwnerIsSuccess", housing.StatusOpen, act(housing.KindCommitmentReassign, housing.CommitmentAction{FunctionID: housing.FunctionRepairs, Reason: "x"}), housing.StatusOpen, housing.Unchanged, ""},
		{"EscalateKeepsStatus", housing.StatusOpen, act(housing.KindCommitmentEscalate, housing.CommitmentAction{Reason: "Third visit"}), housing.StatusOpen, housing.Changed, ""},
		{"UnknownKind", housing.StatusOpen, act("commitment.teleport", reason), housing.StatusOpen, housing.Unchanged, housing.CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := commitmentIn(tt.from)
			got, outcome, err := housing.Transition(c, tt.act)
			if code := housing.ErrorCode(err); code != tt.code {
				t.Fatalf("got error %v (code %q), want code %q", err, code, tt.code)
			}
			if got.Status != tt.want {
				t.Errorf("got status %s, want %s", got.Status, tt.want)
			}
			if outcome != tt.outcome {
				t.Errorf("got outcome %d, want %d", outcome, tt.outcome)
			}
			switch outcome {
			case housing.Changed:
				if got.Version != c.Version+1 || len(got.History) != len(c.History)+1 {
					t.Errorf("got version %d and %d events, want %d and %d", got.Version, len(got.History), c.Version+1, len(c.History)+1)
				}
			default:
				if got.Version != c.Version || len(got.History) != len(c.History) {
					t.Errorf("got version %d and %d events, want the commitment unchanged", got.Version, len(got.History))
				}
			}
		})
	}
}

func TestTransitionConflicts(t *testing.T) {
	// The due date last changed at version 3; an officer who saw version 2
	// must not overwrite it, but one who saw version 3 may.
	c := commitmentIn(housing.StatusOpen)
	c.Version, c.DueVersion, c.OwnerVersion = 4, 3, 3
	extend := housing.CommitmentAction{DueDate: "2026-12-10", Reason: "Parts on order"}
	reassign := housing.CommitmentAction{FunctionID: housing.FunctionIncome, Reason: "About rent"}

	t.Run("StaleExtend", func(t *testing.T) {
		a := act(housing.KindCommitmentExtend, extend)
		a.BaseVersion = 2
		got, outcome, err := housing.Transition(c, a)
		if outcome != housing.Conflicted || housing.ErrorCode(err) != housing.CodeConflict || got.DueDate != c.DueDate {
			t.Fatalf("got outcome %d, err %v, due %s; want a conflict keeping %s", outcome, err, got.DueDate, c.DueDate)
		}
	})
	t.Run("CurrentExtend", func(t *testing.T) {
		a := act(housing.KindCommitmentExtend, extend)
		a.BaseVersion = 3
		got, outcome, err := housing.Transition(c, a)
		if err != nil || outcome != housing.Changed || got.DueDate != "2026-12-10" || got.DueVersion != 5 {
			t.Fatalf("got outcome %d, err %v, due %s, due version %d; want the new date at version 5", outcome, err, got.DueDate, got.DueVersion)
		}
		if e := got.History[len(got.History)-1]; e.From != "2026-11-30" || e.To != "2026-12-10" || e.Note != "Parts on order" {
			t.Errorf("got event %+v, want the old and new date and the reason", e)
		}
	})
	t.Run("StaleReassign", func(t *testing.T) {
		a := act(housing.KindCommitmentReassign, reassign)
		a.BaseVersion = 1
		got, outcome, err := housing.Transition(c, a)
		if outcome != housing.Conflicted || housing.ErrorCode(err) != housing.CodeConflict || got.FunctionID != housing.FunctionRepairs {
			t.Fatalf("got outcome %d, err %v, owner %s; want a conflict keeping repairs", outcome, err, got.FunctionID)
		}
	})
	t.Run("AcknowledgeIsNeverStale", func(t *testing.T) {
		a := act(housing.KindCommitmentAcknowledge, housing.CommitmentAction{})
		a.BaseVersion = 1
		if _, outcome, err := housing.Transition(c, a); err != nil || outcome != housing.Changed {
			t.Fatalf("got outcome %d, err %v; want a plain change", outcome, err)
		}
	})
}

func TestAuthorize(t *testing.T) {
	c := commitmentIn(housing.StatusOpen) // made by "maker", owned by repairs
	officer := func(id string, fns ...string) housing.Principal {
		return housing.Principal{OfficerID: id, Role: housing.RoleOfficer, Functions: fns}
	}
	supervisor := housing.Principal{OfficerID: "boss", Role: housing.RoleSupervisor}
	tenant := housing.Principal{OfficerID: housing.TenantActor}
	tests := []struct {
		name string
		p    housing.Principal
		kind string
		ok   bool
	}{
		{"TeamAcknowledges", officer("fixer", housing.FunctionRepairs), housing.KindCommitmentAcknowledge, true},
		{"OtherTeamCannotAcknowledge", officer("rent", housing.FunctionIncome), housing.KindCommitmentAcknowledge, false},
		{"MakerExtends", officer("maker", housing.FunctionTenancy), housing.KindCommitmentExtend, true},
		{"TeamCannotExtendOthers", officer("fixer", housing.FunctionRepairs), housing.KindCommitmentExtend, false},
		{"SupervisorExtends", supervisor, housing.KindCommitmentExtend, true},
		{"SupervisorReassigns", supervisor, housing.KindCommitmentReassign, true},
		{"OfficerCannotReassignOthers", officer("fixer", housing.FunctionRepairs), housing.KindCommitmentReassign, false},
		{"MakerCannotBreak", officer("maker"), housing.KindCommitmentBreak, false},
		{"SupervisorBreaks", supervisor, housing.KindCommitmentBreak, true},
		{"OfficerCannotAnswerForTenant", officer("maker"), housing.KindCommitmentTenant, false},
		{"TenantAnswers", tenant, housing.KindCommitmentTenant, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := housing.Authorize(tt.p, c, tt.kind)
			if got := err == nil; got != tt.ok {
				t.Fatalf("got allowed=%v (%v), want %v", got, err, tt.ok)
			}
			if err != nil && housing.ErrorCode(err) != housing.CodeForbidden {
				t.Errorf("got code %s, want forbidden", housing.ErrorCode(err))
			}
		})
	}
}
