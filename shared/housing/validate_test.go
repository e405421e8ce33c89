package housing_test

import (
	"strings"
	"testing"
	"time"

	"doorstep/shared/housing"
)

const id1 = "0193a1b2-0000-7000-8000-000000000001"

func TestVisitValidate(t *testing.T) {
	ok := housing.Visit{ID: id1, TenancyID: "t1", OfficerID: "o1", SiteID: "riverside",
		Purpose: housing.PurposeWelfareCheck, StartedAt: t0, EndedAt: t0.Add(20 * time.Minute)}
	tests := []struct {
		name   string
		change func(*housing.Visit)
		want   string // a phrase the message must hold; "" for valid
		field  string // the field the error names
	}{
		{"OK", func(*housing.Visit) {}, "", ""},
		{"ErrBadID", func(v *housing.Visit) { v.ID = "not-a-uuid" }, "valid ID", housing.FieldID},
		{"ErrNoTenancy", func(v *housing.Visit) { v.TenancyID = "" }, "Choose the tenancy", housing.FieldTenancy},
		{"ErrNoOfficer", func(v *housing.Visit) { v.OfficerID = "" }, "which officer", housing.FieldOfficer},
		{"ErrNoSite", func(v *housing.Visit) { v.SiteID = "" }, "which site", housing.FieldSite},
		{"ErrNoPurpose", func(v *housing.Visit) { v.Purpose = "" }, "purpose", housing.FieldPurpose},
		{"ErrUnknownPurpose", func(v *housing.Visit) { v.Purpose = "party" }, "purpose", housing.FieldPurpose},
		{"ErrNotesTooLong", func(v *housing.Visit) { v.Notes = strings.Repeat("x", housing.MaxNotes+1) }, "too long", housing.FieldNotes},
		{"ErrEndsBeforeStart", func(v *housing.Visit) { v.EndedAt = t0.Add(-time.Minute) }, "end before", housing.FieldEndedAt},
		{"ErrNoStart", func(v *housing.Visit) { v.StartedAt = time.Time{} }, "started", housing.FieldStartedAt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := ok
			tt.change(&v)
			checkField(t, v.Validate(), tt.want, tt.field)
		})
	}
}

// TestVisitValidateInput checks that a visit as a form drafts it, with no
// IDs, officer or site yet, is checked for what the officer enters, and by
// the same rules as Validate.
func TestVisitValidateInput(t *testing.T) {
	draft := housing.Visit{TenancyID: "t1", Purpose: housing.PurposeWelfareCheck, StartedAt: t0}
	tests := []struct {
		name   string
		change func(*housing.Visit)
		want   string
		field  string
	}{
		{"OK", func(*housing.Visit) {}, "", ""},
		{"ErrNoTenancyFirst", func(v *housing.Visit) { v.TenancyID, v.Purpose, v.StartedAt = "", "", time.Time{} }, "Choose the tenancy you visited.", housing.FieldTenancy},
		{"ErrNoPurposeBeforeStart", func(v *housing.Visit) { v.Purpose, v.StartedAt = "", time.Time{} }, "Choose the purpose of the visit.", housing.FieldPurpose},
		{"ErrNoStart", func(v *housing.Visit) { v.StartedAt = time.Time{} }, "Say when the visit started.", housing.FieldStartedAt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := draft
			tt.change(&v)
			checkField(t, v.ValidateInput(), tt.want, tt.field)
		})
	}
}

func TestCommitmentValidate(t *testing.T) {
	ok := housing.Commitment{ID: id1, TenancyID: "t1", SiteID: "riverside", MadeBy: "o1",
		FunctionID: housing.FunctionRepairs, What: "Fix the tap", DueDate: "2026-11-30", Token: housing.NewToken()}
	tests := []struct {
		name   string
		change func(*housing.Commitment)
		want   string
		field  string
	}{
		{"OK", func(*housing.Commitment) {}, "", ""},
		{"OKWithTime", func(c *housing.Commitment) { c.DueTime = "09:30" }, "", ""},
		{"ErrBadID", func(c *housing.Commitment) { c.ID = "" }, "valid ID", housing.FieldID},
		{"ErrNoMaker", func(c *housing.Commitment) { c.MadeBy = "" }, "which officer", housing.FieldMadeBy},
		{"ErrNoWhat", func(c *housing.Commitment) { c.What = "  \n" }, "what was promised", housing.FieldWhat},
		{"ErrWhatTooLong", func(c *housing.Commitment) { c.What = strings.Repeat("é", housing.MaxWhat+1) }, "under 500", housing.FieldWhat},
		{"ErrNoFunction", func(c *housing.Commitment) { c.FunctionID = "" }, "team", housing.FieldFunction},
		{"ErrNoWhatBeforeNoFunction", func(c *housing.Commitment) { c.What, c.FunctionID = "", "" }, "what was promised", housing.FieldWhat},
		{"ErrNoDue", func(c *housing.Commitment) { c.DueDate = "" }, "due", housing.FieldDueDate},
		{"ErrImpossibleDate", func(c *housing.Commitment) { c.DueDate = "2026-02-30" }, "not a real date", housing.FieldDueDate},
		{"ErrBadTime", func(c *housing.Commitment) { c.DueTime = "25:00" }, "14:30", housing.FieldDueTime},
		{"ErrReasonTooLong", func(c *housing.Commitment) { c.OverrideReason = strings.Repeat("x", housing.MaxComment+1) }, "reason", housing.FieldOverrideReason},
		{"ErrDamagedToken", func(c *housing.Commitment) { c.Token = "short" }, "tenant link", housing.FieldToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.change(&c)
			checkField(t, c.Validate(), tt.want, tt.field)
		})
	}
}

// TestCommitmentValidateInput checks a promise as a form drafts it, with no
// ID, tenancy, site or maker yet.
func TestCommitmentValidateInput(t *testing.T) {
	draft := housing.Commitment{What: "Fix the tap", FunctionID: housing.FunctionRepairs, DueDate: "2026-11-30"}
	if err := draft.ValidateInput(); err != nil {
		t.Fatalf("got %v for a draft with what, team and date, want valid", err)
	}
	draft.DueDate = ""
	checkField(t, draft.ValidateInput(), "Choose the date the promise is due.", housing.FieldDueDate)
	if err := draft.Validate(); housing.ErrorField(err) != housing.FieldID {
		t.Errorf("got %v from Validate on a draft, want the missing ID first", err)
	}
}

// TestCommitmentValidateDue checks the rule the forms keep before saving: a
// due date its standard warns about needs a reason.
func TestCommitmentValidateDue(t *testing.T) {
	standards := housing.DefaultStandards()
	made := housing.Date("2026-03-02") // a Monday
	ok := housing.Commitment{What: "Fix the gate", FunctionID: housing.FunctionRepairs, StandardID: "repairs.urgent", DueDate: "2026-03-05"}
	tests := []struct {
		name   string
		change func(*housing.Commitment)
		warned bool
		want   string
	}{
		{"OK", func(*housing.Commitment) {}, false, ""},
		{"OKNoDateYet", func(c *housing.Commitment) { c.DueDate = "" }, false, ""},
		{"ErrTooLateNoReason", func(c *housing.Commitment) { c.DueDate = "2026-04-30" }, true, "Give a reason to keep this date"},
		{"OKTooLateWithReason", func(c *housing.Commitment) { c.DueDate, c.OverrideReason = "2026-04-30", "Tenant is away." }, true, ""},
		{"ErrBlankReason", func(c *housing.Commitment) { c.DueDate, c.OverrideReason = "2026-04-30", "  " }, true, "Give a reason"},
		{"ErrPastWithoutStandard", func(c *housing.Commitment) { c.StandardID, c.DueDate = "", "2026-03-01" }, true, "Give a reason"},
		{"ErrUnknownStandardStillChecksBounds", func(c *housing.Commitment) { c.StandardID, c.DueDate = "gone", "2030-01-01" }, true, "Give a reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.change(&c)
			if got := !c.CheckDue(standards, made).OK(); got != tt.warned {
				t.Errorf("got warned %v, want %v", got, tt.warned)
			}
			field := ""
			if tt.want != "" {
				field = housing.FieldOverrideReason
			}
			checkField(t, c.ValidateDue(standards, made), tt.want, field)
		})
	}
}

func TestFeedbackValidate(t *testing.T) {
	ok := housing.Feedback{ID: id1, TenancyID: "t1", SiteID: "riverside", Source: housing.SourceOfficer,
		Answers: map[housing.Question]housing.Rating{housing.TP01: housing.FairlySatisfied, housing.TP08: housing.PreferNotToSay}}
	tests := []struct {
		name   string
		change func(*housing.Feedback)
		want   string
		field  string
	}{
		{"OK", func(*housing.Feedback) {}, "", ""},
		{"OKCommentOnly", func(f *housing.Feedback) { f.Answers = nil; f.Comment = "Lovely" }, "", ""},
		{"ErrEmpty", func(f *housing.Feedback) { f.Answers = nil }, "at least one", housing.FieldAnswers},
		{"ErrUnknownQuestion", func(f *housing.Feedback) { f.Answers = map[housing.Question]housing.Rating{"TP99": housing.Neither} }, "not one of", housing.FieldAnswers},
		{"ErrUnknownRating", func(f *housing.Feedback) { f.Answers = map[housing.Question]housing.Rating{housing.TP01: "meh"} }, "Choose an answer", "answers.TP01"},
		{"ErrFirstUnknownRatingInFormOrder", func(f *housing.Feedback) {
			f.Answers = map[housing.Question]housing.Rating{housing.TP08: "meh", housing.TP06: "meh"}
		}, "Choose an answer", "answers.TP06"},
		{"ErrComplaintWithoutWords", func(f *housing.Feedback) { f.Complaint = true }, "complaint is about", housing.FieldComment},
		{"ErrCommentTooLong", func(f *housing.Feedback) { f.Comment = strings.Repeat("x", housing.MaxComment+1) }, "under", housing.FieldComment},
		{"ErrNoSource", func(f *housing.Feedback) { f.Source = "" }, "who gave it", housing.FieldSource},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ok
			tt.change(&f)
			checkField(t, f.Validate(), tt.want, tt.field)
		})
	}
}

func TestRating(t *testing.T) {
	if !housing.FairlySatisfied.Satisfied() || housing.Neither.Satisfied() {
		t.Error("got the wrong ratings counted as satisfied")
	}
	if housing.PreferNotToSay.Counted() || !housing.VeryDissatisfied.Counted() {
		t.Error("got 'prefer not to say' in the denominator, or a real answer left out")
	}
	if got := housing.VerySatisfied.LabelFor(housing.TP08); got != "Strongly agree" {
		t.Errorf("got TP08 label %q, want Strongly agree", got)
	}
}

func TestToken(t *testing.T) {
	a, b := housing.NewToken(), housing.NewToken()
	if a == b || !housing.ValidToken(a) || len(a) != 22 {
		t.Fatalf("got tokens %q and %q, want two different valid 22-character tokens", a, b)
	}
	if housing.ValidToken(a+"x") || housing.ValidToken("") || housing.ValidToken(strings.Repeat("*", 22)) {
		t.Error("got a malformed token accepted")
	}
	if h := housing.HashToken(a); len(h) != 64 || strings.Contains(h, a) {
		t.Errorf("got hash %q, want 64 hex characters not holding the token", h)
	}
}

func checkValidation(t *testing.T, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("got %v, want valid", err)
		}
		return
	}
	if housing.ErrorCode(err) != housing.CodeInvalid {
		t.Fatalf("got %v, want an invalid error mentioning %q", err, want)
	}
	if msg := housing.ErrorMessage(err); !strings.Contains(msg, want) {
		t.Errorf("got message %q, want it to mention %q", msg, want)
	}
}

// checkField is checkValidation that also wants the error to name field.
func checkField(t *testing.T, err error, want, field string) {
	t.Helper()
	checkValidation(t, err, want)
	if got := housing.ErrorField(err); got != field {
		t.Errorf("got field %q, want %q", got, field)
	}
}
