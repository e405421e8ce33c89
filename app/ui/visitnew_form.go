package ui

import (
	"strconv"
	"strings"
	"time"

	"doorstep/shared/housing"
)

// startedLayout is the value format of an <input type="datetime-local">.
const startedLayout = "2006-01-02T15:04"

// visitForm is the visit form as typed. It lives in the page's component
// state, so nothing typed is lost when a save is refused.
type visitForm struct {
	TenancyID string
	Purpose   housing.Purpose
	Notes     string
	Started   string // startedLayout, local time
	Promises  []promiseForm

	Answers   map[housing.Question]housing.Rating
	Comment   string
	Complaint bool
}

// promiseForm is one "Add a promise" sub-form as typed.
type promiseForm struct {
	What     string
	Function string
	Standard string
	Due      string // "2006-01-02" from <input type="date">
	Time     string // "15:04" from <input type="time">, optional
	Reason   string
}

// newVisitForm is an empty form for a visit starting at now.
func newVisitForm(tenancyID string, now time.Time) visitForm {
	return visitForm{TenancyID: tenancyID, Started: now.Format(startedLayout)}
}

// promiseField is the id of the input name in promise i of the form:
// "commitment-0-what".
func promiseField(i int, name string) string {
	return "commitment-" + strconv.Itoa(i) + "-" + name
}

// promiseInputs names, by the domain's field, the input each promise
// sub-form gives it (promiseField).
var promiseInputs = map[string]string{
	housing.FieldWhat:           "what",
	housing.FieldFunction:       "function",
	housing.FieldStandard:       "standard",
	housing.FieldDueDate:        "due",
	housing.FieldDueTime:        "time",
	housing.FieldOverrideReason: "reason",
}

// check runs the promise's service standard on its due date, as made on
// today (housing.Commitment.CheckDue).
func (p promiseForm) check(standards []housing.Standard, today housing.Date) housing.DueCheck {
	return housing.Commitment{StandardID: p.Standard, DueDate: housing.Date(p.Due)}.CheckDue(standards, today)
}

// problem is the first thing the officer must put right before the form
// can be saved, and the id of the input it concerns; "" when the form may
// go to the wiring, which validates everything again. The rules are the
// domain's, run on the draft the form would send (validateDraft).
func (f visitForm) problem(standards []housing.Standard, today housing.Date) (field, problem string) {
	if err := validateDraft(f.draft(standards, today), standards, today); err != nil {
		return f.inputOf(housing.ErrorField(err)), housing.ErrorMessage(err)
	}
	return "", ""
}

// validateDraft checks what the officer entered in d by the domain's rules
// (ValidateInput of the visit, of each promise and of the feedback, and
// each promise's ValidateDue against its standard), in the order the form
// asks for it. The error's Field is a path within the visit, as the
// wiring's RecordVisit names it: "commitments.1.due_date".
func validateDraft(d VisitDraft, standards []housing.Standard, today housing.Date) error {
	v := housing.Visit{TenancyID: d.TenancyID, Purpose: d.Purpose, Notes: d.Notes, StartedAt: d.StartedAt}
	if err := v.ValidateInput(); err != nil {
		return err
	}
	for i, c := range d.Commitments {
		err := c.ValidateInput()
		if err == nil {
			err = c.ValidateDue(standards, today)
		}
		if err != nil {
			return housing.InField(err, housing.ItemField(housing.FieldCommitments, i))
		}
	}
	if d.Feedback != nil {
		if err := d.Feedback.ValidateInput(); err != nil {
			return housing.InField(err, housing.FieldFeedback)
		}
	}
	return nil
}

// inputOf is the id of the element that shows a problem with field, a
// path within the visit as validateDraft and the wiring name it, and takes
// the focus: the input itself, the feedback part for anything about the
// feedback, and "save" (the slot by the save button) for what the form
// has no input for, such as a promise's tenant link or a tenancy already
// chosen.
func (f visitForm) inputOf(field string) string {
	switch field {
	case housing.FieldTenancy:
		if f.TenancyID == "" {
			return "tenancy"
		}
	case housing.FieldPurpose:
		return "purpose"
	case housing.FieldNotes:
		return "notes"
	case housing.FieldStartedAt:
		return "started"
	}
	feedback := housing.FieldFeedback
	if field == feedback || strings.HasPrefix(field, feedback+".") {
		return "feedback"
	}
	for i := range f.Promises {
		promise := housing.ItemField(housing.FieldCommitments, i)
		for name, input := range promiseInputs {
			if field == promise+"."+name {
				return promiseField(i, input)
			}
		}
	}
	return "save"
}

// draft is what ActionSaveVisit carries. Feedback is nil when the tenant
// gave none.
func (f visitForm) draft(standards []housing.Standard, today housing.Date) VisitDraft {
	started, _ := time.ParseInLocation(startedLayout, f.Started, time.Local)
	d := VisitDraft{
		TenancyID: f.TenancyID,
		Purpose:   f.Purpose,
		Notes:     strings.TrimSpace(f.Notes),
		StartedAt: started,
	}
	for _, p := range f.Promises {
		c := housing.Commitment{
			TenancyID:  f.TenancyID,
			What:       strings.TrimSpace(p.What),
			FunctionID: p.Function,
			StandardID: p.Standard,
			DueDate:    housing.Date(p.Due),
			DueTime:    p.Time,
		}
		if !p.check(standards, today).OK() {
			c.OverrideReason = strings.TrimSpace(p.Reason)
		}
		d.Commitments = append(d.Commitments, c)
	}
	if len(f.Answers) > 0 || strings.TrimSpace(f.Comment) != "" || f.Complaint {
		answers := make(map[housing.Question]housing.Rating, len(f.Answers))
		for q, r := range f.Answers {
			answers[q] = r
		}
		d.Feedback = &housing.Feedback{
			TenancyID: f.TenancyID,
			Answers:   answers,
			Comment:   strings.TrimSpace(f.Comment),
			Complaint: f.Complaint,
		}
	}
	return d
}
