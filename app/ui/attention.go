package ui

import (
	"encoding/json"
	"strings"

	"doorstep/shared/housing"
)

// correction is a refused visit or new promise as the officer corrects it
// on the sync page before it is resent. Other refused changes (a pick up,
// a done) are resent as they were, or dismissed.
type correction struct {
	Kind    string
	Visit   housing.Visit
	Promise housing.Commitment
	Reason  string // why a date that fails its standard should stand
}

// newCorrection reads what was sent for item a; ok is false when the sync
// page cannot correct that kind of change.
func newCorrection(a AttentionItem) (c correction, ok bool) {
	c.Kind = a.Kind
	switch a.Kind {
	case housing.KindVisitRecord:
		ok = json.Unmarshal(a.Data, &c.Visit) == nil && c.Visit.ID != ""
	case housing.KindCommitmentMake:
		ok = json.Unmarshal(a.Data, &c.Promise) == nil && c.Promise.ID != ""
		c.Reason = c.Promise.OverrideReason
	}
	return c, ok
}

// correctable reports whether the sync page can correct item a.
func correctable(a AttentionItem) bool {
	_, ok := newCorrection(a)
	return ok
}

// firstField is the id of the correction form's first input.
func (c correction) firstField() string {
	if c.Kind == housing.KindCommitmentMake {
		return "correction-what"
	}
	return "correction-purpose"
}

// check runs a corrected promise's standard on its due date, as made on
// today (housing.Commitment.CheckDue); a visit needs none.
func (c correction) check(standards []housing.Standard, today housing.Date) housing.DueCheck {
	if c.Kind != housing.KindCommitmentMake {
		return housing.DueCheck{}
	}
	return c.Promise.CheckDue(standards, today)
}

// record is the corrected visit or promise as it is resent: trimmed, and a
// promise with the reason only when its date needs one.
func (c correction) record(standards []housing.Standard, today housing.Date) any {
	if c.Kind != housing.KindCommitmentMake {
		v := c.Visit
		v.Notes = strings.TrimSpace(v.Notes)
		return v
	}
	p := c.Promise
	p.What = strings.TrimSpace(p.What)
	p.OverrideReason = ""
	if !c.check(standards, today).OK() {
		p.OverrideReason = strings.TrimSpace(c.Reason)
	}
	return p
}

// problem is the first thing to put right before the correction can go,
// and the id of the element that shows it. The rules are the domain's
// (ValidateInput, and a promise's ValidateDue), run on the record to be
// resent; the replica validates everything again.
func (c correction) problem(standards []housing.Standard, today housing.Date) (field, problem string) {
	var err error
	switch r := c.record(standards, today).(type) {
	case housing.Visit:
		err = r.ValidateInput()
	case housing.Commitment:
		if err = r.ValidateInput(); err == nil {
			err = r.ValidateDue(standards, today)
		}
	}
	if err != nil {
		return correctionInput(housing.ErrorField(err)), housing.ErrorMessage(err)
	}
	return "", ""
}

// correctionInputs names, by the domain's field, the correction form's
// input for it.
var correctionInputs = map[string]string{
	housing.FieldPurpose:        "correction-purpose",
	housing.FieldNotes:          "correction-notes",
	housing.FieldWhat:           "correction-what",
	housing.FieldFunction:       "correction-function",
	housing.FieldDueDate:        "correction-due",
	housing.FieldDueTime:        "correction-time",
	housing.FieldOverrideReason: "correction-reason",
}

// correctionInput is the id of the element that shows a problem with
// field of the record being corrected: its input, or "correction", the
// form's own slot, for a field the form has no input for.
func correctionInput(field string) string {
	if input, ok := correctionInputs[field]; ok {
		return input
	}
	return "correction"
}

// data is the corrected record to resend.
func (c correction) data(standards []housing.Standard, today housing.Date) json.RawMessage {
	b, err := json.Marshal(c.record(standards, today))
	if err != nil {
		return nil // a record that cannot be encoded is resent as it was
	}
	return b
}

// attentionTitle is what a refused change was, in plain words: "A new
// promise", or "“Done” on a promise" for a change to one.
func attentionTitle(a AttentionItem) string {
	switch a.Kind {
	case housing.KindVisitRecord:
		return "A visit"
	case housing.KindCommitmentMake:
		return "A new promise"
	case housing.KindFeedbackGive:
		return "The tenant's feedback"
	}
	if strings.HasPrefix(a.Kind, "commitment.") {
		return "“" + eventLabel(a.Kind) + "” on a promise"
	}
	return a.Summary
}

// attentionDetail is what a refused change said, in a line: the promise's
// words, or the visit's purpose.
func attentionDetail(a AttentionItem) string {
	c, ok := newCorrection(a)
	switch {
	case !ok && a.What != "":
		return "“" + a.What + "”"
	case !ok:
		return ""
	case c.Kind == housing.KindCommitmentMake:
		return "“" + c.Promise.What + "”, " + promiseDue(c.Promise)
	}
	return c.Visit.Purpose.Label() + ", " + c.Visit.StartedAt.Local().Format("Mon 2 Jan 15:04")
}
