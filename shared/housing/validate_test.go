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
	}{
		{"OK", func(*housing.Visit) {}, ""},
		{"ErrBadID", func(v *housing.Visit) { v.ID = "not-a-uuid" }, "valid ID"},
		{"ErrNoTenancy", func(v *housing.Visit) { v.TenancyID = "" }, "Choose the tenancy"},
		{"ErrNoPurpose", func(v *housing.Visit) { v.Purpose = "" }, "purpose"},
		{"ErrUnknownPurpose", func(v *housing.Visit) { v.Purpose = "party" }, "purpose"},
		{"ErrNotesTooLong", func(v *housing.Visit) { v.Notes = strings.Repeat("x", housing.MaxNotes+1) }, "too long"},
		{"ErrEndsBeforeStart", func(v *housing.Visit) { v.EndedAt = t0.Add(-time.Minute) }, "end before"},
		{"ErrNoStart", func(v *housing.Visit) { v.StartedAt = time.Time{} }, "started"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := ok
			tt.change(&v)
			checkValidation(t, v.Validate(), tt.want)
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
	}{
		{"OK", func(*housing.Commitment) {}, ""},
		{"OKWithTime", func(c *housing.Commitment) { c.DueTime = "09:30" }, ""},
		{"ErrNoWhat", func(c *housing.Commitment) { c.What = "  \n" }, "what was promised"},
		{"ErrWhatTooLong", func(c *housing.Commitment) { c.What = strings.Repeat("é", housing.MaxWhat+1) }, "under 500"},
		{"ErrNoFunction", func(c *housing.Commitment) { c.FunctionID = "" }, "team"},
		{"ErrNoDue", func(c *housing.Commitment) { c.DueDate = "" }, "due"},
		{"ErrImpossibleDate", func(c *housing.Commitment) { c.DueDate = "2026-02-30" }, "not a real date"},
		{"ErrBadTime", func(c *housing.Commitment) { c.DueTime = "25:00" }, "14:30"},
		{"ErrDamagedToken", func(c *housing.Commitment) { c.Token = "short" }, "tenant link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.change(&c)
			checkValidation(t, c.Validate(), tt.want)
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
	}{
		{"OK", func(*housing.Feedback) {}, ""},
		{"OKCommentOnly", func(f *housing.Feedback) { f.Answers = nil; f.Comment = "Lovely" }, ""},
		{"ErrEmpty", func(f *housing.Feedback) { f.Answers = nil }, "at least one"},
		{"ErrUnknownQuestion", func(f *housing.Feedback) { f.Answers = map[housing.Question]housing.Rating{"TP99": housing.Neither} }, "not one of"},
		{"ErrUnknownRating", func(f *housing.Feedback) { f.Answers = map[housing.Question]housing.Rating{housing.TP01: "meh"} }, "Choose an answer"},
		{"ErrComplaintWithoutWords", func(f *housing.Feedback) { f.Complaint = true }, "complaint is about"},
		{"ErrNoSource", func(f *housing.Feedback) { f.Source = "" }, "who gave it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ok
			tt.change(&f)
			checkValidation(t, f.Validate(), tt.want)
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
