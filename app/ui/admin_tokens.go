package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// AdminTokens is the integration tokens page (/admin/tokens): the tokens
// the landlord's other systems read the events feed with (docs/events.md),
// each scoped to teams; a form to make one, whose secret is shown once;
// and revoking one, after a confirm.
type AdminTokens struct {
	app.Compo

	signed adminSignedIn
	view   AdminTokensView
	done   AdminDone

	asked  adminAsked
	making bool
	draft  tokenDraft
	// confirm is the ID of the token whose revoke asks to be confirmed.
	confirm string
	answer  AdminDone // the answer to the last change, shown at the top; a made token's secret, once
	copied  AdminDone // the answer to the last copy
}

// tokenDraft is the make form as typed.
type tokenDraft struct {
	Name   string
	Teams  map[string]bool
	answer AdminDone
}

func (p *AdminTokens) OnMount(ctx app.Context) {
	ctx.ObserveState(StateAdminTokens, &p.view)
	ctx.ObserveState(StateAdminDone, &p.done).OnChange(func() {
		if p.done.Action == ActionAdminCopy {
			p.copied = p.done
			return
		}
		if !p.asked.answered(p.done) {
			return
		}
		if p.done.Action == ActionAdminMakeToken && p.done.Problem != "" {
			p.draft.answer = p.done
			focus(ctx, "token-"+firstOf(p.done.Field, "form")+"-problem")
			return
		}
		if p.done.Problem == "" {
			p.making, p.draft, p.confirm = false, tokenDraft{}, ""
		}
		p.answer, p.copied = p.done, AdminDone{}
		focus(ctx, "tokens-answer")
	})
	p.signed.observe(ctx, p.load)
}

func (p *AdminTokens) load(ctx app.Context) { ctx.NewAction(ActionAdminTokens) }

func (p *AdminTokens) Render() app.UI {
	return adminShell("Integration tokens", PathAdminTokens, p.signed, p.view.Loaded,
		app.P().Class("note").Text("A token lets one of your other systems, such as a repairs system, read the promises made and what became of them, "+
			"for the teams it names, and nothing else. Give each system its own token, so you can revoke one without stopping the others."),
		app.If(!p.making, func() app.UI {
			return app.Div().Class("actions").Body(
				app.Button().Type("button").ID("token-make-open").Class("button").
					OnClick(func(ctx app.Context, e app.Event) {
						p.making, p.draft = true, tokenDraft{}
						focus(ctx, "token-name")
					}).Text("Make a token"),
			)
		}).Else(p.renderMake),
		place(p.answer.Action != "", p.renderAnswer),
		app.H2().Text("Tokens"),
		p.renderList(),
	)
}

// renderAnswer is the answer to the last change: a made token's secret,
// shown once, or what happened.
func (p *AdminTokens) renderAnswer() app.UI {
	d := p.answer
	if d.Token != nil && d.Token.Token != "" {
		return app.Div().ID("tokens-answer").Class("admin-answer").TabIndex(-1).Body(
			app.P().Class("admin-done").Role("status").Text("Made the token "+d.Token.Name+"."),
			adminSecret("token-secret", "The token for "+d.Token.Name+": put it in that system's settings.", d.Token.Token, p.copied),
		)
	}
	return adminAnswer("tokens-answer", d, "", p.copied)
}

// renderMake is the form that makes a token.
func (p *AdminTokens) renderMake() app.UI {
	d := &p.draft
	problem := func(field string) string { return adminProblem(d.answer, field, housing.FieldName, "teams") }
	every := d.Teams[housing.AllTeams]
	return app.Form().ID("token-form").Class("admin-form").NoValidate(true).
		OnSubmit(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			p.submit(ctx)
		}).
		Body(
			app.H2().Text("Make a token"),
			field("token-name", "What it is for, such as \"Repairs system (Civica)\"", app.Input().Type("text").ID("token-name").
				Attr("autocomplete", "off").Attr("maxlength", 100).Aria("describedby", "token-name-problem").Value(d.Name).
				OnInput(func(ctx app.Context, e app.Event) { d.Name = value(ctx) }), problem(housing.FieldName)),
			app.FieldSet().Class("choices").Body(
				app.Legend().Text("The teams whose promises it may read"),
				checkboxes("token-teams", append([]choice{{Value: housing.AllTeams, Label: "Every team, and feedback about no promise"}}, teamChoices(p.view.Teams)...),
					d.Teams, func(v string, on bool) { d.Teams = toggle(d.Teams, v, on) }),
				app.If(every, func() app.UI {
					return app.P().Class("hint").Text("Every team: the other boxes make no difference.")
				}),
				lastProblem("token-teams", problem("teams")),
			),
			problemText("token-form", problem("")),
			app.Div().Class("actions").Body(
				app.Button().Type("submit").Class("button").Attr("disabled", boolAttr(p.asked.waiting())).Text(busyText(p.asked.waiting(), "Make the token", "Making…")),
				app.Button().Type("button").Class("button button-secondary").
					OnClick(func(ctx app.Context, e app.Event) { p.making, p.draft = false, tokenDraft{} }).Text("Cancel"),
			),
		)
}

// submit checks the form has a name and a team, then asks for the token.
func (p *AdminTokens) submit(ctx app.Context) {
	if p.asked.waiting() {
		return
	}
	d := &p.draft
	in := housing.NewIntegrationToken{Name: strings.TrimSpace(d.Name), Teams: ticked(d.Teams)}
	if d.Teams[housing.AllTeams] {
		in.Teams = []string{housing.AllTeams}
	}
	switch {
	case in.Name == "":
		d.answer = AdminDone{Problem: "Say what the token is for, so you know which to revoke.", Field: housing.FieldName}
	case len(in.Teams) == 0:
		d.answer = AdminDone{Problem: "Tick the teams whose promises it may read, or every team.", Field: "teams"}
	default:
		d.answer = AdminDone{}
		p.asked.ask(ctx, ActionAdminMakeToken, "", in)
		return
	}
	focus(ctx, "token-"+d.answer.Field+"-problem")
}

// renderList is every token, revoked ones too, each live one with its
// revoke button and confirm.
func (p *AdminTokens) renderList() app.UI {
	list := p.view.Tokens
	if len(list) == 0 {
		return app.P().Class("note").Text("No tokens yet.")
	}
	names := teamNames(p.view.Teams)
	return app.Ul().Class("admin-rows").Aria("label", "Tokens").Body(
		app.Range(list).Slice(func(i int) app.UI {
			t := list[i]
			teams := namesOf(t.Teams, names)
			if len(t.Teams) == 1 && t.Teams[0] == housing.AllTeams {
				teams = "Every team"
			}
			used := "Never used"
			if !t.LastUsedAt.IsZero() {
				used = "Last used " + adminTime(t.LastUsedAt)
			}
			return app.Li().Class("admin-row").DataSet("token", t.ID).Body(
				app.P().Class("admin-row-title").Body(
					app.Strong().Text(t.Name),
					app.If(!t.RevokedAt.IsZero(), func() app.UI { return app.Span().Class("admin-tag admin-tag-off").Text("Revoked") }),
				),
				app.Dl().Class("review-facts").Body(
					app.Dt().Text("Teams"), app.Dd().Text(teams),
					app.Dt().Text("Made"), app.Dd().Text(adminTime(t.CreatedAt)),
					app.Dt().Text("Used"), app.Dd().Text(used),
				),
				app.If(t.RevokedAt.IsZero() && p.confirm != t.ID, func() app.UI {
					return app.Button().Type("button").Class("button button-secondary").Value(t.ID).
						OnClick(func(ctx app.Context, e app.Event) { p.confirm = value(ctx) }).Text("Revoke")
				}).ElseIf(t.RevokedAt.IsZero(), func() app.UI {
					return app.Div().Class("admin-panel").Body(
						app.P().Text("Revoke "+t.Name+"? The system using it stops reading at once, and the token cannot be used again."),
						app.Div().Class("actions").Body(
							app.Button().Type("button").ID("token-revoke").Class("button").Value(t.ID).
								OnClick(func(ctx app.Context, e app.Event) {
									id := value(ctx)
									p.asked.ask(ctx, ActionAdminRevokeToken, id, id)
								}).Text("Revoke it"),
							app.Button().Type("button").Class("button button-secondary").
								OnClick(func(ctx app.Context, e app.Event) { p.confirm = "" }).Text("Keep it"),
						),
					)
				}).Else(func() app.UI {
					return app.P().Class("review-meta").Text("Revoked " + adminTime(t.RevokedAt))
				}),
			)
		}),
	)
}
