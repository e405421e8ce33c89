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
func newCorrection(a AttentionItem) (f correction, ok bool) {
	f.Kind = a.Kind
	switch a.Kind {
	case housing.KindVisitRecord:
		ok = json.Unmarshal(a.Data, &f.Visit) == nil && f.Visit.ID != ""
	case housing.KindCommitmentMake:
		ok = json.Unmarshal(a.Data, &f.Promise) == nil && f.Promise.ID != ""
		f.Reason = f.Promise.OverrideReason
	}
	return f, ok
}

// correctable reports whether the sync page can correct item a.
func correctable(a AttentionItem) bool {
	_, ok := newCorrection(a)
	return ok
}

// firstField is the id of the correction form's first field.
func (f correction) firstField() string {
	if f.Kind == housing.KindCommitmentMake {
		return "correction-what"
	}
	return "correction-purpose"
}

// check runs a corrected promise's standard on its due date, as made on
// today; a visit needs none.
func (f correction) check(standards []housing.Standard, today housing.Date) housing.DueCheck {
	if f.Kind != housing.KindCommitmentMake {
		return housing.DueCheck{}
	}
	p := promiseForm{Standard: f.Promise.StandardID, Due: string(f.Promise.DueDate)}
	return p.check(standards, today)
}

// problem is the first thing to put right before the correction can go,
// and the id of its field; the replica validates everything again.
func (f correction) problem(standards []housing.Standard, today housing.Date) (field, problem string) {
	switch f.Kind {
	case housing.KindVisitRecord:
		if !f.Visit.Purpose.Valid() {
			return "correction-purpose", "Choose the purpose of the visit."
		}
	case housing.KindCommitmentMake:
		switch {
		case strings.TrimSpace(f.Promise.What) == "":
			return "correction-what", "Say what was promised, in plain words."
		case f.Promise.FunctionID == "":
			return "correction-function", "Choose the team that will keep this promise."
		case f.Promise.DueDate == "":
			return "correction-due", "Choose the date the promise is due."
		case !f.check(standards, today).OK() && strings.TrimSpace(f.Reason) == "":
			return "correction-reason", msgNeedReason
		}
	}
	return "", ""
}

// data is the corrected record to send.
func (f correction) data(standards []housing.Standard, today housing.Date) json.RawMessage {
	v := f.Visit
	v.Notes = strings.TrimSpace(v.Notes)
	var record any = v
	if f.Kind == housing.KindCommitmentMake {
		c := f.Promise
		c.What = strings.TrimSpace(c.What)
		c.OverrideReason = ""
		if !f.check(standards, today).OK() {
			c.OverrideReason = strings.TrimSpace(f.Reason)
		}
		record = c
	}
	b, err := json.Marshal(record)
	if err != nil {
		return nil // a record that cannot be encoded is sent as it was
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
	f, ok := newCorrection(a)
	switch {
	case !ok && a.What != "":
		return "“" + a.What + "”"
	case !ok:
		return ""
	case f.Kind == housing.KindCommitmentMake:
		return "“" + f.Promise.What + "”, " + promiseDue(f.Promise)
	}
	return f.Visit.Purpose.Label() + ", " + f.Visit.StartedAt.Local().Format("Mon 2 Jan 15:04")
}
