package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// msgNeedReason is what the form says, in the domain's words
// (housing.Commitment.ValidateDue), when a due date fails its standard and
// the officer has not said why it should stand.
const msgNeedReason = "Give a reason to keep this date, or choose another date."

// TestVisitFormProblem checks what the visit form refuses before it asks the
// wiring to save, and which field it points the officer to.
func TestVisitFormProblem(t *testing.T) {
	today := housing.Date("2026-03-02") // a Monday
	standards := housing.DefaultStandards()
	ok := promiseForm{What: "Fix the gate", Function: housing.FunctionRepairs, Standard: "repairs.urgent", Due: "2026-03-05"}
	base := visitForm{TenancyID: "t1", Purpose: housing.PurposeWelfareCheck, Started: "2026-03-02T10:30"}
	with := func(p promiseForm) visitForm {
		f := base
		f.Promises = []promiseForm{ok, p}
		return f
	}
	tooLate := ok
	tooLate.Due = "2026-04-30"
	tooLateWithReason := tooLate
	tooLateWithReason.Reason = "Tenant is away until then."
	past := promiseForm{What: "Call back", Function: housing.FunctionIncome, Due: "2026-03-01"}
	noWhat := ok
	noWhat.What = "  "
	noDue := ok
	noDue.Due = ""
	badTime := ok
	badTime.Time = "9:3"
	complaint := base
	complaint.Complaint = true
	tests := []struct {
		name      string
		form      visitForm
		wantField string
		wantMsg   string
	}{
		{"OK", with(ok), "", ""},
		{"OverrideWithReason", with(tooLateWithReason), "", ""},
		{"ErrNoTenancy", visitForm{Purpose: housing.PurposeOther, Started: base.Started}, "tenancy", "Choose the tenancy you visited."},
		{"ErrNoPurpose", visitForm{TenancyID: "t1", Started: base.Started}, "purpose", "Choose the purpose of the visit."},
		{"ErrNoStart", visitForm{TenancyID: "t1", Purpose: housing.PurposeOther}, "started", "Say when the visit started."},
		{"ErrNoWhat", with(noWhat), "commitment-1-what", "Say what was promised, in plain words."},
		{"ErrNoDue", with(noDue), "commitment-1-due", "Choose the date the promise is due."},
		{"ErrTooLateNoReason", with(tooLate), "commitment-1-reason", msgNeedReason},
		{"ErrPastWithoutStandard", with(past), "commitment-1-reason", msgNeedReason},
		{"ErrBadTime", with(badTime), "commitment-1-time", "The due time must look like 14:30."},
		{"ErrComplaintWithoutWords", complaint, "feedback", "Say what the complaint is about, so the complaints team can act on it."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field, msg := tt.form.problem(standards, today)
			if field != tt.wantField || msg != tt.wantMsg {
				t.Errorf("got (%q, %q), want (%q, %q)", field, msg, tt.wantField, tt.wantMsg)
			}
		})
	}
}

// TestVisitFormDraft checks that the draft carries what was typed, keeps a
// reason only where a warning needed one, and leaves out empty feedback.
func TestVisitFormDraft(t *testing.T) {
	today := housing.Date("2026-03-02")
	standards := housing.DefaultStandards()
	f := visitForm{TenancyID: "t1", Purpose: housing.PurposeRepairs, Notes: " Damp in bedroom ", Started: "2026-03-02T10:30",
		Promises: []promiseForm{
			{What: "Send a surveyor", Function: housing.FunctionRepairs, Standard: "repairs.damp_investigate", Due: "2026-03-04", Time: "09:00", Reason: "not needed"},
			{What: "Ring about rent", Function: housing.FunctionIncome, Standard: "income.callback", Due: "2026-05-01", Reason: "Tenant asked"},
		}}
	d := f.draft(standards, today)
	want := time.Date(2026, 3, 2, 10, 30, 0, 0, time.Local)
	if !d.StartedAt.Equal(want) {
		t.Errorf("got started %v, want %v", d.StartedAt, want)
	}
	if d.Notes != "Damp in bedroom" || d.TenancyID != "t1" || d.Purpose != housing.PurposeRepairs {
		t.Errorf("got %+v, want the visit as typed", d)
	}
	if len(d.Commitments) != 2 {
		t.Fatalf("got %d commitments, want 2", len(d.Commitments))
	}
	if got := d.Commitments[0]; got.OverrideReason != "" || got.DueTime != "09:00" || got.StandardID != "repairs.damp_investigate" {
		t.Errorf("got first promise %+v, want no reason kept (its date is fine) and the time", got)
	}
	if got := d.Commitments[1].OverrideReason; got != "Tenant asked" {
		t.Errorf("got reason %q, want %q", got, "Tenant asked")
	}
	if d.Feedback != nil {
		t.Errorf("got feedback %+v, want nil when the tenant gave none", d.Feedback)
	}
	f.Complaint = true
	if d := f.draft(standards, today); d.Feedback == nil || !d.Feedback.Complaint {
		t.Errorf("got feedback %+v, want a complaint", d.Feedback)
	}
}

// TestNewVisitRenders draws the form with a warning and a refused save, as
// an officer would see them.
func TestNewVisitRenders(t *testing.T) {
	p := &NewVisit{
		ref: Reference{Functions: []housing.Function{{ID: housing.FunctionRepairs, Name: "Repairs"}}, Standards: housing.DefaultStandards()},
		form: visitForm{TenancyID: "t1", Started: "2026-03-02T10:30",
			Promises: []promiseForm{{What: "Fix the gate", Function: housing.FunctionRepairs, Standard: "repairs.urgent", Due: "2020-01-01"}}},
		tenancy: TenancyView{Tenancy: housing.Tenancy{ID: "t1", Household: "Mrs A Khan", Address: "1 Ferry Lane"}},
		field:   "commitment-0-reason", problem: msgNeedReason,
	}
	html := app.HTMLString(p)
	for _, want := range []string{
		`for="purpose-welfare_check"`, "Welfare check", "Mrs A Khan", `for="commitment-0-what"`, "Urgent repair",
		"The due date is before the visit.", `role="alert"`, msgNeedReason, `for="commitment-0-reason"`,
		"Remove promise 1", "Add a promise", housing.TP06.Text(), "Strongly agree", "This is a complaint",
		"Hand the phone to the tenant", "Save visit",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
}

// TestVisitFormInputOf checks where the form shows a problem the wiring
// names by the domain's field: beside its input, in the feedback part, or
// by the save button when the form has no input for it.
func TestVisitFormInputOf(t *testing.T) {
	f := visitForm{TenancyID: "t1", Promises: []promiseForm{{}, {}}}
	for field, want := range map[string]string{
		housing.FieldPurpose:            "purpose",
		housing.FieldNotes:              "notes",
		housing.FieldStartedAt:          "started",
		"commitments.0.what":            "commitment-0-what",
		"commitments.1.due_date":        "commitment-1-due",
		"commitments.1.function_id":     "commitment-1-function",
		"commitments.1.override_reason": "commitment-1-reason",
		"commitments.1.token":           "save",
		"commitments.2.what":            "save", // no such promise on the form
		"feedback.answers.TP01":         "feedback",
		"feedback.comment":              "feedback",
		housing.FieldTenancy:            "save", // chosen already: no input to mark
		"":                              "save",
	} {
		if got := f.inputOf(field); got != want {
			t.Errorf("inputOf(%q) = %q, want %q", field, got, want)
		}
	}
	if got := (visitForm{}).inputOf(housing.FieldTenancy); got != "tenancy" {
		t.Errorf("inputOf(tenancy) with none chosen = %q, want tenancy", got)
	}
}
