package housing

import (
	"slices"
	"unicode/utf8"
)

// Question is one of the regulator's Tenant Satisfaction Measures that fit a
// visit. The codes are the regulator's own.
type Question string

const (
	TP01 Question = "TP01" // overall satisfaction
	TP06 Question = "TP06" // listens to your views and acts upon them
	TP07 Question = "TP07" // keeps you informed about things that matter to you
	TP08 Question = "TP08" // treats you fairly and with respect
)

// Questions lists the questions in the order a form asks them.
var Questions = []Question{TP01, TP06, TP07, TP08}

// Text is the question as the tenant reads it.
func (q Question) Text() string {
	switch q {
	case TP01:
		return "Taking everything into account, how satisfied or dissatisfied are you with the service provided by your landlord?"
	case TP06:
		return "How satisfied or dissatisfied are you that your landlord listens to your views and acts upon them?"
	case TP07:
		return "How satisfied or dissatisfied are you that your landlord keeps you informed about things that matter to you?"
	case TP08:
		return "To what extent do you agree or disagree with the following: my landlord treats me fairly and with respect?"
	}
	return string(q)
}

// Short is a label for reports and charts.
func (q Question) Short() string {
	switch q {
	case TP01:
		return "Overall satisfaction"
	case TP06:
		return "Listens and acts"
	case TP07:
		return "Keeps you informed"
	case TP08:
		return "Fair and respectful"
	}
	return string(q)
}

// Rating is an answer on the five-point scale, or "prefer not to say". TP08
// asks agree/disagree; its five points are stored on the same scale and
// labelled with AgreeLabel.
type Rating string

const (
	VerySatisfied      Rating = "very_satisfied"
	FairlySatisfied    Rating = "fairly_satisfied"
	Neither            Rating = "neither"
	FairlyDissatisfied Rating = "fairly_dissatisfied"
	VeryDissatisfied   Rating = "very_dissatisfied"
	PreferNotToSay     Rating = "prefer_not_to_say"
)

// Ratings lists the answers in the order a form offers them.
var Ratings = []Rating{VerySatisfied, FairlySatisfied, Neither, FairlyDissatisfied, VeryDissatisfied, PreferNotToSay}

// Label is the answer in the words of a satisfaction question.
func (r Rating) Label() string {
	switch r {
	case VerySatisfied:
		return "Very satisfied"
	case FairlySatisfied:
		return "Fairly satisfied"
	case Neither:
		return "Neither satisfied nor dissatisfied"
	case FairlyDissatisfied:
		return "Fairly dissatisfied"
	case VeryDissatisfied:
		return "Very dissatisfied"
	case PreferNotToSay:
		return "Prefer not to say"
	}
	return string(r)
}

// AgreeLabel is the answer in the words of an agree/disagree question (TP08).
func (r Rating) AgreeLabel() string {
	switch r {
	case VerySatisfied:
		return "Strongly agree"
	case FairlySatisfied:
		return "Agree"
	case Neither:
		return "Neither agree nor disagree"
	case FairlyDissatisfied:
		return "Disagree"
	case VeryDissatisfied:
		return "Strongly disagree"
	}
	return r.Label()
}

// LabelFor is the answer in the words that fit question q.
func (r Rating) LabelFor(q Question) string {
	if q == TP08 {
		return r.AgreeLabel()
	}
	return r.Label()
}

// Valid reports whether r is on the scale.
func (r Rating) Valid() bool {
	for _, s := range Ratings {
		if r == s {
			return true
		}
	}
	return false
}

// Satisfied reports whether r counts towards "percentage satisfied", as the
// regulator counts it: very or fairly satisfied.
func (r Rating) Satisfied() bool { return r == VerySatisfied || r == FairlySatisfied }

// Counted reports whether r is in the denominator of a measure; "prefer not
// to say" is left out, as the regulator leaves it out.
func (r Rating) Counted() bool { return r.Valid() && r != PreferNotToSay }

// Who gave feedback.
const (
	SourceOfficer = "officer" // recorded by the officer, or by the tenant on the officer's phone
	SourceTenant  = "tenant"  // given through the tenant's own link
)

// Feedback is what a tenant said about the service. Append-only.
type Feedback struct {
	ID           string              `json:"id"` // UUIDv7 made on the device
	TenancyID    string              `json:"tenancy_id"`
	VisitID      string              `json:"visit_id,omitempty"`
	CommitmentID string              `json:"commitment_id,omitempty"` // set when given through a tenant link
	SiteID       string              `json:"site_id"`
	Source       string              `json:"source"`
	Answers      map[Question]Rating `json:"answers,omitempty"`
	Comment      string              `json:"comment,omitempty"`
	Complaint    bool                `json:"complaint,omitempty"` // "this is a complaint": routes to the complaints function
	Meta
}

// Validate checks feedback as recorded: its ID, what the phone or the
// tenant link filled in, and what the tenant said (ValidateInput).
func (f Feedback) Validate() error {
	switch {
	case !ValidID(f.ID):
		return Invalid(FieldID, "The feedback has no valid ID; please enter it again.")
	case f.TenancyID == "":
		return Invalid(FieldTenancy, "Feedback must belong to a tenancy.")
	case f.SiteID == "":
		return Invalid(FieldSite, "Feedback must say which site the tenancy is on.")
	case f.Source != SourceOfficer && f.Source != SourceTenant:
		return Invalid(FieldSource, "Feedback must say who gave it.")
	}
	return f.ValidateInput()
}

// ValidateInput checks what the tenant said: the answers, the comment and
// whether it is a complaint. It is the part of Validate that a form runs on
// its draft, which has no IDs yet, so the form and the record keep one
// rule.
func (f Feedback) ValidateInput() error {
	if utf8.RuneCountInString(f.Comment) > MaxComment {
		return Invalid(FieldComment, "Keep the comment under %d characters.", MaxComment)
	}
	for q := range f.Answers {
		if !slices.Contains(Questions, q) {
			return Invalid(FieldAnswers, "%q is not one of the satisfaction questions.", q)
		}
	}
	// In the order the form asks them, so the first wrong answer is named.
	for _, q := range Questions {
		if r, ok := f.Answers[q]; ok && !r.Valid() {
			return Invalid(FieldAnswers+"."+string(q), "Choose an answer for %q from the list.", q.Short())
		}
	}
	if len(f.Answers) == 0 && blank(f.Comment) && !f.Complaint {
		return Invalid(FieldAnswers, "Answer at least one question or leave a comment.")
	}
	if f.Complaint && blank(f.Comment) {
		return Invalid(FieldComment, "Say what the complaint is about, so the complaints team can act on it.")
	}
	return nil
}
