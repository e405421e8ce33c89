package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/app/replica"
	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// The officer's screens that read the records on the phone: the day, the
// search, a tenancy, a visit and a promise.

// home is the officer's day (replica.Day), with the tenancies its visits
// were at. A promise carries its household and address, so the lists need
// no tenancy looked up (a lookup of a tenancy the phone does not hold reads
// every promise).
// homePage is how many promises each of home's lists shows at first, and
// how many more each tap on its "Show more" adds: a phone's screenful.
const homePage = 20

func (o *officer) home() ui.HomeView {
	d := o.rep.Day(o.today())
	o.mu.Lock()
	shown := func(list string, all []housing.Commitment) []housing.Commitment {
		return all[:min(len(all), homePage+o.homeMore[list])]
	}
	v := ui.HomeView{Today: d.Today, Visits: d.Visits, Tenancy: map[string]housing.Tenancy{},
		Overdue: shown(ui.HomeOverdue, d.Overdue), Broken: shown(ui.HomeBroken, d.Broken), DueSoon: shown(ui.HomeDueSoon, d.DueSoon),
		OverdueCount: len(d.Overdue), BrokenCount: len(d.Broken), DueSoonCount: len(d.DueSoon)}
	o.mu.Unlock()
	for _, visit := range d.Visits {
		if t, err := o.rep.Tenancy(visit.TenancyID); err == nil {
			v.Tenancy[t.ID] = t
		}
	}
	return v
}

func (o *officer) handleLoadHome(ctx app.Context, _ app.Action) {
	if o.opened() {
		ctx.SetState(ui.StateHome, o.home())
	}
}

// handleHomeMore shows another page of one of home's lists. The lists stay
// that long while the app runs, so coming back to home keeps the place.
func (o *officer) handleHomeMore(ctx app.Context, a app.Action) {
	list, _ := a.Value.(string)
	if o.showMore(list) && o.opened() {
		ctx.SetState(ui.StateHome, o.home())
	}
}

// showMore lengthens one of home's lists by a page; false for a list home
// does not have.
func (o *officer) showMore(list string) bool {
	switch list {
	case ui.HomeOverdue, ui.HomeBroken, ui.HomeDueSoon:
	default:
		return false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.homeMore == nil {
		o.homeMore = map[string]int{}
	}
	o.homeMore[list] += homePage
	return true
}

// searchLimit is how many tenancies a search lists.
const searchLimit = 50

func (o *officer) search(q string) ui.SearchView {
	found, held := o.rep.SearchTenancies(q, searchLimit)
	return ui.SearchView{Query: q, Results: found, Held: held}
}

func (o *officer) handleSearch(ctx app.Context, a app.Action) {
	if o.opened() {
		q, _ := a.Value.(string)
		ctx.SetState(ui.StateSearch, o.search(q))
	}
}

func (o *officer) tenancy(id string) ui.TenancyView {
	var v ui.TenancyView
	t, err := o.rep.Tenancy(id)
	if err != nil {
		v.Problem = housing.ErrorMessage(err)
		return v
	}
	v.Tenancy, v.Visits, v.Commitments = t, o.rep.Visits(id), o.rep.Commitments(replica.CommitmentFilter{TenancyID: id})
	return v
}

func (o *officer) handleOpenTenancy(ctx app.Context, a app.Action) {
	if o.opened() {
		id, _ := a.Value.(string)
		// The lists go first, in the same goroutine: states reach the page in
		// the order they are set, and a page opened on a cold start names the
		// teams from them, never showing a team's ID.
		ctx.SetState(ui.StateReference, o.reference())
		ctx.SetState(ui.StateTenancy, o.tenancy(id))
	}
}

// visit is one visit with its promises, their tenant links and what is
// still to sync.
func (o *officer) visit(id string) ui.VisitView {
	var v ui.VisitView
	visit, err := o.rep.Visit(id)
	if err != nil {
		v.Problem = housing.ErrorMessage(err)
		return v
	}
	v.Visit = visit
	v.Tenancy, _ = o.rep.Tenancy(visit.TenancyID)
	v.Commitments = o.rep.Commitments(replica.CommitmentFilter{VisitID: id})
	v.Feedback = o.rep.Feedback(visit.TenancyID, id)
	v.Links, v.Pending = map[string]string{}, map[string]bool{visit.ID: o.rep.Pending(visit.ID)}
	for _, c := range v.Commitments {
		if c.Token != "" {
			v.Links[c.ID] = o.browser.origin() + housing.TenantPath(c.Token)
		}
		v.Pending[c.ID] = o.rep.Pending(c.ID)
	}
	return v
}

func (o *officer) handleOpenVisit(ctx app.Context, a app.Action) {
	if o.opened() {
		id, _ := a.Value.(string)
		o.show(shown{visitID: id})
		ctx.SetState(ui.StateReference, o.reference())
		ctx.SetState(ui.StateVisit, o.visit(id))
	}
}

// promise is one commitment with its tenant link, which only the phone that
// made it holds.
func (o *officer) promise(id string) ui.PromiseView {
	var v ui.PromiseView
	c, err := o.rep.Commitment(id)
	if err != nil {
		v.Problem = housing.ErrorMessage(err)
		return v
	}
	v.Commitment, v.Pending = c, o.rep.Pending(c.ID)
	if c.Token != "" {
		v.Link = o.browser.origin() + housing.TenantPath(c.Token)
	}
	return v
}

func (o *officer) handleOpenPromise(ctx app.Context, a app.Action) {
	if o.opened() {
		id, _ := a.Value.(string)
		o.show(shown{promiseID: id})
		ctx.SetState(ui.StateReference, o.reference())
		ctx.SetState(ui.StatePromise, o.promise(id))
	}
}

// shown is what the officer is looking at: a visit or a promise. After a
// sync it is published again, so a tenant's answer or another team's
// "picked up" appears without leaving the page.
type shown struct {
	visitID, promiseID string
}

// show remembers what is now on screen.
func (o *officer) show(s shown) {
	o.mu.Lock()
	o.shown = s
	o.mu.Unlock()
}

// publishShown publishes the visit or promise on screen again.
func (o *officer) publishShown(ctx app.Context) {
	o.mu.Lock()
	s := o.shown
	o.mu.Unlock()
	if s.visitID != "" {
		ctx.SetState(ui.StateVisit, o.visit(s.visitID))
	}
	if s.promiseID != "" {
		ctx.SetState(ui.StatePromise, o.promise(s.promiseID))
	}
}
