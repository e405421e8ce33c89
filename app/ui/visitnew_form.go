package ui

import (
	"strconv"
	"strings"
	"time"

	"doorstep/shared/housing"
)

// startedLayout is the value format of an <input type="datetime-local">.
const startedLayout = "2006-01-02T15:04"

// msgNeedReason is what the form says when a due date fails its standard
// and the officer has not said why it should stand.
const msgNeedReason = "Give a reason to keep this date, or choose another date."

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

// promiseField is the id of field name in promise i, as the wiring names it
// in SaveResult.Field: "commitment-0-what".
func promiseField(i int, name string) string {
	return "commitment-" + strconv.Itoa(i) + "-" + name
}

// check runs the promise's service standard on its due date, as made on
// today. With no standard chosen yet it still warns of a date in the past.
// A promise with no due date needs no check yet.
func (p promiseForm) check(standards []housing.Standard, today housing.Date) housing.DueCheck {
	if p.Due == "" {
		return housing.DueCheck{}
	}
	std, ok := housing.FindStandard(standards, p.Standard)
	if !ok {
		std = housing.Standard{Unit: housing.UnitWorkingDays}
	}
	return std.Check(today, housing.Date(p.Due))
}

// problem is the first thing the officer must fix before the form can be
// saved, and the id of the field it concerns; "" when the form may go to
// the wiring, which validates everything again.
func (f visitForm) problem(standards []housing.Standard, today housing.Date) (field, problem string) {
	if f.TenancyID == "" {
		return "tenancy", "Choose the tenancy you visited."
	}
	if !f.Purpose.Valid() {
		return "purpose", "Choose the purpose of the visit."
	}
	if _, err := time.ParseInLocation(startedLayout, f.Started, time.Local); err != nil {
		return "started", "Say when the visit started."
	}
	for i, p := range f.Promises {
		switch {
		case strings.TrimSpace(p.What) == "":
			return promiseField(i, "what"), "Say what was promised, in plain words."
		case p.Function == "":
			return promiseField(i, "function"), "Choose the team that will keep this promise."
		case p.Due == "":
			return promiseField(i, "due"), "Choose the date the promise is due."
		case !p.check(standards, today).OK() && strings.TrimSpace(p.Reason) == "":
			return promiseField(i, "reason"), msgNeedReason
		}
	}
	return "", ""
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
