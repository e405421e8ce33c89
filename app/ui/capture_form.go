package ui

import (
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// focus moves keyboard and screen-reader focus to the element with the given
// id once the page has rendered, so an officer lands on what needs fixing.
func focus(ctx app.Context, id string) {
	ctx.Defer(func(ctx app.Context) {
		if e := app.Window().GetElementByID(id); e.Truthy() {
			e.Call("focus")
		}
	})
}

// today is the landlord's date now, the day every form checks due dates
// against and the day a promise made now is made on: the one place the
// screens learn it.
func today() housing.Date { return housing.LocalDate(time.Now()) }

// lastSegment is the ID at the end of a page's path, such as the tenancy ID
// in /tenancies/{id}.
func lastSegment(path, prefix string) string {
	return strings.Trim(strings.TrimPrefix(path, prefix), "/")
}

// Textareas in these forms set both their text (for the prerendered page)
// and their "value" property (go-app sets it on the live element), so a
// textarea the officer has typed in still shows the right text after a
// promise above it is removed.

// value is the value of the input that raised an event.
func value(ctx app.Context) string { return ctx.JSSrc().Get("value").String() }

// checked reports whether the checkbox that raised an event is ticked.
func checked(ctx app.Context) bool { return ctx.JSSrc().Get("checked").Bool() }

// status is a message region a screen reader reads out when its text
// changes: "Saved on this phone", "Signing in…".
func status(text string) app.UI {
	return app.P().Class("status").Role("status").Aria("live", "polite").Text(text)
}

// tenancyLine is a tenancy as an officer recognises it at a glance.
func tenancyLine(t housing.Tenancy) app.UI {
	return app.Span().Class("tenancy-line").Body(
		app.Strong().Text(t.Household),
		app.Span().Class("tenancy-address").Text(t.Address),
		app.Span().Class("tenancy-ref").Text(t.Reference),
	)
}

// promiseDue is a promise's due date, with its time when one was promised.
func promiseDue(c housing.Commitment) string {
	return "Due " + dueWhen(c)
}

// dueWhen is a promise's due date and time, "Thu 5 Mar 2026 at 10:00".
func dueWhen(c housing.Commitment) string {
	due := c.DueDate.Human()
	if c.DueTime != "" {
		due += " at " + c.DueTime
	}
	return due
}

// tenantSaid is what the tenant has said about a promise through their link,
// in plain words; "" when they have said nothing yet.
func tenantSaid(c housing.Commitment) string {
	var said []string
	switch c.TenantAgreement {
	case housing.TenantAgreed:
		said = append(said, "Tenant confirmed this is what was agreed")
	case housing.TenantNotAgreed:
		said = append(said, "Tenant says this is not what was agreed")
	}
	switch c.TenantOutcome {
	case housing.TenantDone:
		said = append(said, "Tenant says it was done")
	case housing.TenantNotDone:
		said = append(said, "Tenant says it was not done")
	}
	return strings.Join(said, ". ")
}

// promiseItem is one promise in a list: what, the team, the due date, its
// status and, when given, the household it was made to; it opens the
// promise in full.
func promiseItem(c housing.Commitment, ref Reference, withHousehold bool) app.UI {
	return app.Li().Body(
		app.A().Class("row promise").Href(PathPromise+c.ID).Body(
			app.Strong().Class("promise-what").Text(c.What),
			app.Span().Class("promise-meta").Text(ref.FunctionName(c.FunctionID)+" · "+promiseDue(c)+" · "+statusText(c)),
			app.If(withHousehold, func() app.UI {
				return app.Span().Class("promise-who").Text(c.Household + ", " + c.Address)
			}),
		),
	)
}
