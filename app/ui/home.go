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
		app.If(!h.account.SignedIn && !h.account.NeedsSignIn, func() app.UI {
			return app.Div().Class("actions").Body(
				app.A().Class("button").Href(PathSignIn).Text("Sign in to start"),
			)
		}),
		app.Div().Class("actions").Body(
			app.A().Class("button").Href(PathNewVisit).Text("Log a visit"),
			app.A().Class("button button-secondary").Href(PathTenancies).Text("Find a tenancy"),
			ReviewLink(h.account),
			AdminLink(h.account),
		),
		app.P().Class("home-sync").Body(
			app.A().Href(PathSync).Text(pendingText(h.sync.Pending)),
		),
		h.visits(),
		h.promises(HomeOverdue, "Overdue promises", h.view.Overdue, h.view.OverdueCount, "Nothing overdue."),
		h.promises(HomeBroken, "Broken promises, still to put right", h.view.Broken, h.view.BrokenCount, "No broken promises."),
		h.promises(HomeDueSoon, "Due in the next 5 working days", h.view.DueSoon, h.view.DueSoonCount, "Nothing due soon."),
		app.P().Class("note").Text("Doorstep works without signal. What you save stays on this phone until it syncs."),
	)
}

func (h *Home) visits() app.UI {
	visits := h.view.Visits
	// data-loaded says the lists hold the phone's records, not the empty
	// lists drawn before they are read (the cold-start benchmark waits for it).
	return app.Section().Class("list-section").Aria("labelledby", "today-visits").DataSet("loaded", h.view.Today != "").Body(
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

// promises is one of home's promise lists: its first screenful, with the
// count of all of them and a button for more, after the list so the rows
// above it keep their places as it comes and goes.
func (h *Home) promises(id, title string, list []housing.Commitment, count int, none string) app.UI {
	count = max(count, len(list))
	return app.Section().Class("list-section").Aria("labelledby", id).Body(
		app.H2().ID(id).Text(listTitle(title, count)),
		app.If(len(list) == 0, func() app.UI {
			return app.P().Class("note").Text(none)
		}).Else(func() app.UI {
			return app.Ul().Class("promises").Body(
				app.Range(list).Slice(func(i int) app.UI {
					return promiseItem(list[i], h.ref, true)
				}),
			)
		}),
		app.If(count > len(list), func() app.UI {
			return app.Button().Type("button").Class("button button-secondary").ID("more-" + id).
				Text(moreText(len(list), count)).
				OnClick(func(ctx app.Context, e app.Event) {
					ctx.NewActionWithValue(ActionHomeMore, id)
				})
		}),
	)
}

// listTitle is a list's heading with how many it holds in all.
func listTitle(title string, count int) string {
	if count == 0 {
		return title
	}
	return title + " (" + strconv.Itoa(count) + ")"
}

// moreText offers more of a list: shown of its count are on screen.
func moreText(shown, count int) string {
	return "Show more (" + strconv.Itoa(shown) + " of " + strconv.Itoa(count) + " shown)"
}

// pendingText says how many records wait on this phone for the server.
func pendingText(n int) string {
	switch n {
	case 0:
		return "Nothing is waiting to sync."
	case 1:
		return "1 record is waiting to sync."
	}
	return strconv.Itoa(n) + " records are waiting to sync."
}

// tenancyName is a tenancy's household and address, or its ID when the
// phone does not hold it.
func tenancyName(t housing.Tenancy, id string) string {
	if t.ID == "" {
		return "Tenancy " + id
	}
	return t.Household + ", " + t.Address
}
