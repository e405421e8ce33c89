package ui

import (
	"encoding/json"
	"strings"
	"testing"

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

func TestCorrectionProblem(t *testing.T) {
	standards := housing.DefaultStandards()
	today := housing.Date("2026-03-02") // a Monday
	ok := housing.Commitment{ID: "c1", What: "Fix the gate", FunctionID: housing.FunctionRepairs, StandardID: "repairs.routine", DueDate: "2026-03-16"}
	tests := []struct {
		name      string
		change    func(f *correction)
		wantField string
	}{
		{"OK", func(f *correction) {}, ""},
		{"ErrNoWords", func(f *correction) { f.Promise.What = "  " }, "correction-what"},
		{"ErrNoTeam", func(f *correction) { f.Promise.FunctionID = "" }, "correction-function"},
		{"ErrNoDate", func(f *correction) { f.Promise.DueDate = "" }, "correction-due"},
		{"ErrTooSoonWithoutReason", func(f *correction) { f.Promise.DueDate = "2026-03-03" }, "correction-reason"},
		{"TooSoonWithReason", func(f *correction) { f.Promise.DueDate = "2026-03-03"; f.Reason = "Surveyor has a slot." }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, correctable := newCorrection(refusedPromise(t, ok))
			if !correctable {
				t.Fatal("a refused promise cannot be corrected")
			}
			tt.change(&f)
			if got, _ := f.problem(standards, today); got != tt.wantField {
				t.Errorf("got field %q, want %q", got, tt.wantField)
			}
		})
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
	f, _ := newCorrection(refusedPromise(t, sent))
	f.Promise.What = " Fix the side gate "
	f.Promise.DueDate = "2026-03-16"
	var got housing.Commitment
	if err := json.Unmarshal(f.data(standards, today), &got); err != nil {
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
	f, _ := newCorrection(a)
	page := &SyncPage{attention: []AttentionItem{a}, editing: a.ID, correction: f,
		ref: Reference{Functions: []housing.Function{{ID: housing.FunctionRepairs, Name: "Repairs"}}}}
	html := app.HTMLString(page)
	for _, want := range []string{"The server said: The due date is before the visit.", "“Fix the gate”, Due Fri 27 Feb 2026",
		`for="correction-what"`, `for="correction-function"`, `for="correction-due"`, `for="correction-time"`, "Send again", "Cancel", `id="correction-check"`, `for="correction-reason"`} {
		if !strings.Contains(html, want) {
			t.Errorf("the correction form lacks %q", want)
		}
	}
}
