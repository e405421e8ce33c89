package ui

import (
	"fmt"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// ReviewTimeline is everything recorded at one household
// (/review/tenancy/{id}): every visit, promise, change to a promise and
// feedback, in time order, whichever site or team it came from.
type ReviewTimeline struct {
	app.Compo

	view   ReviewTimelineView
	id     string
	signed reviewSignedIn
}

func (p *ReviewTimeline) OnMount(ctx app.Context) {
	ctx.ObserveState(StateReviewTimeline, &p.view)
	p.signed.observe(ctx, p.load)
}

// OnNav loads the tenancy named in the path. It also runs on the server
// while prerendering, where there is nothing to load.
func (p *ReviewTimeline) OnNav(ctx app.Context) {
	p.id = strings.TrimPrefix(ctx.Page().URL().Path, PathReviewTenancy)
	if app.IsClient && p.signed.account.SignedIn {
		p.load(ctx)
	}
}

func (p *ReviewTimeline) load(ctx app.Context) {
	if p.id != "" {
		ctx.NewActionWithValue(ActionReviewTimeline, p.id)
	}
}

func (p *ReviewTimeline) Render() app.UI {
	v := p.view
	tl := v.Timeline
	mine := v.TenancyID == p.id && p.id != ""
	title := "Tenancy timeline"
	if mine && tl.Tenancy.Reference != "" {
		title = tl.Tenancy.Reference + " timeline"
	}
	return NewShell().Title(title).Content(
		app.Div().Class("review").Body(
			reviewNav(""),
			reviewSignInHint(p.signed, "a tenancy's timeline"),
			reviewFreshness(v.Loaded),
			app.If(mine && tl.Tenancy.ID != "", func() app.UI {
				return app.Div().Body(
					app.P().Class("lead").Text(tl.Tenancy.Household+", "+tl.Tenancy.Address+" "+tl.Tenancy.Postcode+" · "+tl.SiteName),
					// Always drawn, empty when nothing is left out, so the
					// entries below keep their places (GO-APP-NOTES).
					app.P().Class("note review-scope").Text(hiddenText(tl.Hidden)),
					app.If(len(tl.Entries) == 0, func() app.UI {
						return app.P().Class("review-empty").Text("Nothing has been recorded at this tenancy yet.")
					}),
					app.Ol().Class("timeline").Body(
						app.Range(tl.Entries).Slice(func(i int) app.UI {
							return reviewEntry(tl.Entries[i], tl.Names)
						}),
					),
				)
			}),
		),
	)
}

// reviewEntry draws one entry: when, what kind, who and where, then the
// record itself.
func reviewEntry(e housing.TimelineEntry, names map[string]string) app.UI {
	when := housing.LocalTime(e.At)
	head := app.P().Class("timeline-head").Body(
		app.Time().DateTime(when.Format("2006-01-02T15:04")).Text(when.Format("Mon 2 Jan 2006, 15:04")),
		app.Text(" · "+reviewEntryKind(e)+" · "+e.ByName),
		app.If(e.SiteName != "", func() app.UI { return app.Text(" · " + e.SiteName) }),
	)
	var body []app.UI
	switch {
	case e.Visit != nil:
		body = append(body, app.P().Text(e.Visit.Purpose.Label()))
		if e.Visit.Notes != "" {
			body = append(body, app.P().Class("timeline-notes").Text(e.Visit.Notes))
		}
	case e.Commitment != nil:
		c := e.Commitment
		body = append(body,
			app.P().Class("review-what").Text(c.What),
			app.P().Class("review-meta").Text(e.FunctionName+" · due "+c.DueDate.Human()+" · now "+reviewStatus(*c)),
		)
	case e.Event != nil:
		body = append(body,
			app.P().Class("review-what").Text(e.What),
			app.P().Text(reviewEventWords(*e.Event, names)),
		)
		if e.Event.Note != "" {
			body = append(body, app.P().Class("timeline-notes").Text("“"+e.Event.Note+"”"))
		}
	case e.Feedback != nil:
		f := e.Feedback
		for _, q := range housing.Questions {
			if r, ok := f.Answers[q]; ok {
				body = append(body, app.P().Text(q.Short()+": "+r.LabelFor(q)))
			}
		}
		if f.Complaint {
			body = append(body, app.P().Class("review-flag").Text("This is a complaint"))
		}
		if f.Comment != "" {
			body = append(body, app.P().Class("timeline-notes").Text("“"+f.Comment+"”"))
		}
	}
	return app.Li().Class("timeline-entry timeline-" + e.Kind).Body(append([]app.UI{head}, body...)...)
}

func reviewEntryKind(e housing.TimelineEntry) string {
	switch e.Kind {
	case housing.EntryVisit:
		return "Visit"
	case housing.EntryCommitment:
		return "Promise made"
	case housing.EntryEvent:
		return "Promise updated"
	case housing.EntryFeedback:
		if e.Feedback != nil && e.Feedback.Source == housing.SourceTenant {
			return "Feedback through the tenant's link"
		}
		return "Feedback"
	}
	return e.Kind
}

// reviewEventWords says what an event in a promise's history did.
func reviewEventWords(e housing.Event, names map[string]string) string {
	owner := func(label string) string {
		fn, officer, _ := strings.Cut(label, "/")
		s := reviewNameOf(names, fn)
		if officer != "" {
			s += " (" + reviewNameOf(names, officer) + ")"
		}
		return s
	}
	switch e.Kind {
	case housing.KindCommitmentAcknowledge:
		return "Picked up by the team"
	case housing.KindCommitmentComplete:
		return "Marked done"
	case housing.KindCommitmentCancel:
		return "Cancelled"
	case housing.KindCommitmentReassign:
		return "Reassigned from " + owner(e.From) + " to " + owner(e.To)
	case housing.KindCommitmentExtend:
		return "Due date moved from " + housing.Date(e.From).Human() + " to " + housing.Date(e.To).Human()
	case housing.KindCommitmentEscalate:
		return "Escalated"
	case housing.KindCommitmentBreak:
		return "Marked broken, with an apology to the tenant"
	case housing.KindCommitmentTenant:
		switch e.To {
		case housing.TenantAgreed:
			return "The tenant agreed this is what was promised"
		case housing.TenantNotAgreed:
			return "The tenant says this isn't what was agreed"
		case string(housing.StatusKept):
			return "The tenant says it was done"
		case string(housing.StatusDisputed):
			return "The tenant says it wasn't done"
		}
		return "The tenant answered"
	}
	return reviewKind(e.Kind)
}

func reviewNameOf(names map[string]string, id string) string {
	if n := names[id]; n != "" {
		return n
	}
	return id
}

// hiddenText says that a timeline leaves out what the reader does not
// supervise, or nothing when it leaves nothing out.
func hiddenText(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return "1 record at this home belongs to a site or team you do not supervise, so it is not shown."
	}
	return fmt.Sprintf("%d records at this home belong to sites or teams you do not supervise, so they are not shown.", n)
}
