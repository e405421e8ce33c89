package housing_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"doorstep/shared/housing"
)

// TestInField checks how a record's own field is placed within the request
// that carried it, as the phone does for a visit's promises.
func TestInField(t *testing.T) {
	promise := housing.ItemField(housing.FieldCommitments, 1)
	if promise != "commitments.1" {
		t.Fatalf("got item field %q, want commitments.1", promise)
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"FieldWithinItem", housing.Invalid(housing.FieldDueDate, "Choose the date the promise is due."), "commitments.1.due_date"},
		{"NoFieldIsTheItem", housing.Errorf(housing.CodeInvalid, "Something about the whole promise."), "commitments.1"},
		{"Wrapped", fmt.Errorf("save: %w", housing.Invalid(housing.FieldWhat, "Say what was promised, in plain words.")), "commitments.1.what"},
		{"NotAHousingError", errors.New("disk full"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := housing.InField(tt.err, promise)
			if f := housing.ErrorField(got); f != tt.want {
				t.Errorf("got field %q, want %q", f, tt.want)
			}
			if housing.ErrorCode(got) != housing.ErrorCode(tt.err) || housing.ErrorMessage(got) != housing.ErrorMessage(tt.err) {
				t.Errorf("got %v, want the code and message of %v kept", got, tt.err)
			}
		})
	}
	// The error placed is a copy: the record's own error keeps its field.
	own := housing.Invalid(housing.FieldWhat, "Say what was promised, in plain words.")
	housing.InField(own, promise)
	if own.Field != housing.FieldWhat {
		t.Errorf("InField changed the error it was given to %q", own.Field)
	}
}

// TestRetryAfter checks that the wait an error carries is read through
// wrapping, and that other errors say nothing.
func TestRetryAfter(t *testing.T) {
	wait := &housing.Error{Code: housing.CodeRateLimited, Message: "Wait.", RetryAfter: 8 * time.Second}
	if got := housing.RetryAfter(fmt.Errorf("sign in: %w", wait)); got != 8*time.Second {
		t.Errorf("got %v, want 8s", got)
	}
	if got := housing.RetryAfter(errors.New("no network")); got != 0 {
		t.Errorf("got %v for a plain error, want 0", got)
	}
}

// TestRulesNameTheirField checks the field of the checks outside the three
// records' Validate (validate_test.go): the state machine's intents, a
// staff account, a service standard and a supervisor's filter.
func TestRulesNameTheirField(t *testing.T) {
	c := commitmentIn(housing.StatusOpen)
	transition := func(kind string, a housing.CommitmentAction) error {
		_, _, err := housing.Transition(c, act(kind, a))
		return err
	}
	_, _, illegal := housing.Transition(commitmentIn(housing.StatusCancelled), act(housing.KindCommitmentComplete, housing.CommitmentAction{}))
	std := housing.Standard{ID: "repairs.x", FunctionID: "repairs", Kind: "x", Name: "X repair", Unit: housing.UnitWorkingDays, Soonest: 5, Limit: 4}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"CancelNeedsReason", transition(housing.KindCommitmentCancel, housing.CommitmentAction{}), housing.FieldReason},
		{"ExtendNeedsDate", transition(housing.KindCommitmentExtend, housing.CommitmentAction{Reason: "x"}), housing.FieldDueDate},
		{"ExtendBadTime", transition(housing.KindCommitmentExtend, housing.CommitmentAction{DueDate: "2026-12-04", DueTime: "9", Reason: "x"}), housing.FieldDueTime},
		{"ExtendTooFar", transition(housing.KindCommitmentExtend, housing.CommitmentAction{DueDate: "9999-12-31", Reason: "x"}), housing.FieldDueDate},
		{"ReassignNeedsTeam", transition(housing.KindCommitmentReassign, housing.CommitmentAction{Reason: "x"}), housing.FieldFunction},
		{"TenantUnknownAnswer", transition(housing.KindCommitmentTenant, housing.CommitmentAction{Answer: "maybe"}), housing.FieldAnswer},
		{"UnknownKind", transition("commitment.teleport", housing.CommitmentAction{}), housing.FieldKind},
		{"IllegalNamesNoField", illegal, ""},
		{"Username", housing.CheckUsername("Sarah Okafor"), housing.FieldUsername},
		{"Name", housing.CheckName(" "), housing.FieldName},
		{"Password", housing.CheckPassword("sarah", "short"), housing.FieldPassword},
		{"Role", housing.NewOfficer{Username: "sarah", Name: "Sarah", Role: "boss", Password: "long enough words"}.Validate(), housing.FieldRole},
		{"StandardLimit", std.Validate(), housing.FieldLimit},
		{"FilterTo", housing.ReviewFilter{From: "2026-11-02", To: "2026-11-01"}.Validate(), housing.FieldTo},
		{"FilterFromTooEarly", housing.ReviewFilter{From: "0000-01-01"}.Validate(), housing.FieldFrom},
		{"FilterStatus", housing.ReviewFilter{Status: "lost"}.Validate(), housing.FieldStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("got no error")
			}
			if got := housing.ErrorField(tt.err); got != tt.want {
				t.Errorf("got field %q, want %q (%v)", got, tt.want, tt.err)
			}
		})
	}
}
