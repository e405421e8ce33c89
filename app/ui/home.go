package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// Home is the officer's day: today's visits and the promises falling due,
// with the two things done most often one tap away.
type Home struct {
	app.Compo

	account Account
	ref     Reference
	view    HomeView
	sync    SyncState
}

func (h *Home) OnMount(ctx app.Context) {
	ctx.ObserveState(StateAccount, &h.account)
	ctx.ObserveState(StateReference, &h.ref)
	ctx.ObserveState(StateHome, &h.view)
	ctx.ObserveState(StateSync, &h.sync)
}

// OnNav asks the wiring for the day each time the page is shown, so a
// visit saved a moment ago is listed.
func (h *Home) OnNav(ctx app.Context) {
	if app.IsClient {
		ctx.NewAction(ActionLoadHome)
	}
}

func (h *Home) Render() app.UI {
	return NewShell().Title("Today").Content(
		signInBanner(h.account, h.sync),
		app.If(!h.account.SignedIn && !h.account.NeedsSignIn, func() app.UI {
			return app.Div().Class("actions").Body(
				app.A().Class("button").Href(PathSignIn).Text("Sign in to start"),
			)
		}),
		app.Div().Class("actions").Body(
			app.A().Class("button").Href(PathNewVisit).Text("Log a visit"),
			app.A().Class("button button-secondary").Href(PathTenancies).Text("Find a tenancy"),
		),
		h.visits(),
		h.promises("overdue", "Overdue promises", h.view.Overdue, "Nothing overdue."),
		h.promises("due-soon", "Due in the next 5 working days", h.view.DueSoon, "Nothing due soon."),
		app.P().Class("note").Text("Doorstep works without signal. What you save stays on this phone until it syncs."),
	)
}

// signInBanner tells an officer whose session ended that nothing is lost.
func signInBanner(a Account, s SyncState) app.UI {
	return app.If(a.NeedsSignIn || s.NeedsSignIn, func() app.UI {
		records := strconv.Itoa(s.Pending) + " unsynced records are"
		if s.Pending == 1 {
			records = "1 unsynced record is"
		}
		return app.Div().Class("banner").Role("alert").Body(
			app.P().Text("Please sign in again — your "+records+" safe on this phone."),
			app.A().Class("button").Href(PathSignIn).Text("Sign in"),
		)
	})
}

func (h *Home) visits() app.UI {
	visits := h.view.Visits
	return app.Section().Class("list-section").Aria("labelledby", "today-visits").Body(
		app.H2().ID("today-visits").Text("Today's visits"),
		app.If(len(visits) == 0, func() app.UI {
			return app.P().Class("note").Text("No visits logged today yet.")
		}).Else(func() app.UI {
			return app.Ul().Class("rows").Body(
				app.Range(visits).Slice(func(i int) app.UI {
					v := visits[i]
					t := h.view.Tenancy[v.TenancyID]
					return app.Li().Body(
						app.A().Class("row").Href(PathVisit+v.ID).Body(
							app.Strong().Text(v.StartedAt.Local().Format("15:04")+" · "+v.Purpose.Label()),
							app.Span().Text(tenancyName(t, v.TenancyID)),
						),
					)
				}),
			)
		}),
	)
}

func (h *Home) promises(id, title string, list []housing.Commitment, none string) app.UI {
	return app.Section().Class("list-section").Aria("labelledby", id).Body(
		app.H2().ID(id).Text(title),
		app.If(len(list) == 0, func() app.UI {
			return app.P().Class("note").Text(none)
		}).Else(func() app.UI {
			return app.Ul().Class("promises").Body(
				app.Range(list).Slice(func(i int) app.UI {
					return promiseItem(list[i], h.ref, true)
				}),
			)
		}),
	)
}

// tenancyName is a tenancy's household and address, or its ID when the
// phone does not hold it.
func tenancyName(t housing.Tenancy, id string) string {
	if t.ID == "" {
		return "Tenancy " + id
	}
	return t.Household + ", " + t.Address
}
