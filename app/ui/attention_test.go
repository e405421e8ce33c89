package ui

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// refusedPromise is a new promise the server refused, as the sync page
// receives it.
func refusedPromise(t *testing.T, c housing.Commitment) AttentionItem {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return AttentionItem{ID: "d:7", Kind: housing.KindCommitmentMake, RecordID: c.ID, Code: housing.CodeInvalid,
		Reason: "The due date is before the visit.", Summary: "A new promise", Data: data}
}

// TestCorrectionProblem checks what the correction of a refused promise
// refuses before it is resent, by the domain's rules, and which input it
// points the officer to.
func TestCorrectionProblem(t *testing.T) {
	standards := housing.DefaultStandards()
	today := housing.Date("2026-03-02") // a Monday
	ok := housing.Commitment{ID: "c1", What: "Fix the gate", FunctionID: housing.FunctionRepairs, StandardID: "repairs.routine", DueDate: "2026-03-16"}
	tests := []struct {
		name      string
		change    func(c *correction)
		wantField string
		wantMsg   string
	}{
		{"OK", func(c *correction) {}, "", ""},
		{"ErrNoWords", func(c *correction) { c.Promise.What = "  " }, "correction-what", "Say what was promised, in plain words."},
		{"ErrNoTeam", func(c *correction) { c.Promise.FunctionID = "" }, "correction-function", "Choose the team that will keep this promise."},
		{"ErrNoDate", func(c *correction) { c.Promise.DueDate = "" }, "correction-due", "Choose the date the promise is due."},
		{"ErrBadTime", func(c *correction) { c.Promise.DueTime = "25:00" }, "correction-time", "The due time must look like 14:30."},
		{"ErrTooSoonWithoutReason", func(c *correction) { c.Promise.DueDate = "2026-03-03" }, "correction-reason", "Give a reason to keep this date, or choose another date."},
		{"TooSoonWithReason", func(c *correction) { c.Promise.DueDate = "2026-03-03"; c.Reason = "Surveyor has a slot." }, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, correctable := newCorrection(refusedPromise(t, ok))
			if !correctable {
				t.Fatal("a refused promise cannot be corrected")
			}
			tt.change(&c)
			if field, msg := c.problem(standards, today); field != tt.wantField || msg != tt.wantMsg {
				t.Errorf("got (%q, %q), want (%q, %q)", field, msg, tt.wantField, tt.wantMsg)
			}
		})
	}
}

// TestCorrectionProblemOfAVisit: a refused visit is checked for what the
// officer can change on the sync page.
func TestCorrectionProblemOfAVisit(t *testing.T) {
	sent := housing.Visit{ID: "v1", TenancyID: "t1", Purpose: housing.PurposeRepairs, StartedAt: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	data, _ := json.Marshal(sent)
	c, correctable := newCorrection(AttentionItem{ID: "d:3", Kind: housing.KindVisitRecord, RecordID: "v1", Data: data})
	if !correctable {
		t.Fatal("a refused visit cannot be corrected")
	}
	if field, msg := c.problem(nil, "2026-03-02"); field != "" {
		t.Errorf("got (%q, %q) for the visit as sent, want no problem", field, msg)
	}
	c.Visit.Purpose = ""
	if field, msg := c.problem(nil, "2026-03-02"); field != "correction-purpose" || msg != "Choose the purpose of the visit." {
		t.Errorf("got (%q, %q), want the purpose asked for", field, msg)
	}
}

// TestCorrectionInput: a refusal from the replica, named by the domain's
// field, is shown beside its input, or in the form's slot.
func TestCorrectionInput(t *testing.T) {
	for field, want := range map[string]string{
		housing.FieldWhat: "correction-what", housing.FieldDueDate: "correction-due", housing.FieldOverrideReason: "correction-reason",
		housing.FieldPurpose: "correction-purpose", housing.FieldToken: "correction", "": "correction",
	} {
		if got := correctionInput(field); got != want {
			t.Errorf("correctionInput(%q) = %q, want %q", field, got, want)
		}
	}
}

// TestCorrectionData: the corrected promise keeps everything the phone
// made (ID, tenancy, visit) and carries the reason only when its date needs
// one.
func TestCorrectionData(t *testing.T) {
	standards := housing.DefaultStandards()
	today := housing.Date("2026-03-02")
	sent := housing.Commitment{ID: "c1", TenancyID: "t1", VisitID: "v1", What: "Fix the gate", FunctionID: housing.FunctionRepairs,
		StandardID: "repairs.routine", DueDate: "2026-02-27", OverrideReason: "old reason"}
	c, _ := newCorrection(refusedPromise(t, sent))
	c.Promise.What = " Fix the side gate "
	c.Promise.DueDate = "2026-03-16"
	var got housing.Commitment
	if err := json.Unmarshal(c.data(standards, today), &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != "c1" || got.TenancyID != "t1" || got.VisitID != "v1" {
		t.Errorf("the correction lost what the phone made: %+v", got)
	}
	if got.What != "Fix the side gate" || got.DueDate != "2026-03-16" {
		t.Errorf("got what %q due %q, want the corrected ones", got.What, got.DueDate)
	}
	if got.OverrideReason != "" {
		t.Errorf("got reason %q for a realistic date, want none", got.OverrideReason)
	}
}

func TestCorrectionForm(t *testing.T) {
	a := refusedPromise(t, housing.Commitment{ID: "c1", What: "Fix the gate", FunctionID: housing.FunctionRepairs, DueDate: "2026-02-27"})
	c, _ := newCorrection(a)
	page := &SyncPage{attention: []AttentionItem{a}, editing: a.ID, correction: c,
		ref: Reference{Functions: []housing.Function{{ID: housing.FunctionRepairs, Name: "Repairs"}}}}
	html := app.HTMLString(page)
	for _, want := range []string{"The server said: The due date is before the visit.", "“Fix the gate”, Due Fri 27 Feb 2026",
		`for="correction-what"`, `for="correction-function"`, `for="correction-due"`, `for="correction-time"`, "Send again", "Cancel",
		`id="correction-check"`, `for="correction-reason"`, `class="correction-form"`} {
		if !strings.Contains(html, want) {
			t.Errorf("the correction form lacks %q", want)
		}
	}
}
