package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// AdminStaff is the staff page (/admin/staff): everyone who signs in, with
// their role, sites, teams and email; a form to add someone; and, for each
// person, switching them off or on, resetting their password, and their
// signed-in devices, each of which can be signed out.
type AdminStaff struct {
	app.Compo

	signed  adminSignedIn
	view    AdminStaffView
	devices AdminDevicesView
	done    AdminDone // the latest answer to any change; answered picks this page's

	asked       adminAsked
	answer      AdminDone // the answer shown at the top of the list
	secretLabel string    // whose password the answer shows, if it shows one
	add         staffDraft
	adding      bool
	// open is the panel open on one person: "password:", "off:" or
	// "devices:" and their ID. One at a time, so a draft never belongs to
	// the wrong row.
	open     string
	password string    // typed in the open password panel
	panel    AdminDone // the answer shown in the open panel
	copied   AdminDone // the answer to the last copy of a password shown
}

// staffDraft is the add form as typed.
type staffDraft struct {
	Name, Username, Email, Password string
	Role                            housing.Role
	Sites, Teams                    map[string]bool
	answer                          AdminDone // the problem the form shows, the server's or its own
}

// staffFields are the add form's inputs, by the JSON names housing.Error
// uses for them ("email" is NewOfficer's own).
var staffFields = []string{housing.FieldName, housing.FieldUsername, "email", housing.FieldRole, housing.FieldSites, housing.FieldFunctions, housing.FieldPassword}

func (p *AdminStaff) OnMount(ctx app.Context) {
	ctx.ObserveState(StateAdminStaff, &p.view)
	ctx.ObserveState(StateAdminDevices, &p.devices)
	ctx.ObserveState(StateAdminDone, &p.done).OnChange(func() { p.answered(ctx) })
	p.signed.observe(ctx, p.load)
}

func (p *AdminStaff) load(ctx app.Context) { ctx.NewAction(ActionAdminStaff) }

// answered shows the answer to the change this page asked for where it
// belongs: a refusal of the add form or of a typed password on its field;
// anything else at the top of the list, focused.
func (p *AdminStaff) answered(ctx app.Context) {
	d := p.done
	if d.Action == ActionAdminCopy {
		p.copied = d
		return
	}
	if !p.asked.answered(d) {
		return
	}
	switch {
	case d.Action == ActionAdminAddUser && d.Problem != "":
		p.add.answer = d
		focus(ctx, "staff-add-"+firstOf(d.Field, "form")+"-problem")
		return
	case d.Action == ActionAdminAddUser:
		p.add, p.adding = staffDraft{}, false
	case d.Action == ActionAdminSetPassword && d.Problem != "":
		p.panel = d
		focus(ctx, "staff-new-password")
		return
	case d.Action == ActionAdminSignOutDevice:
		p.panel = d
		return
	case d.Problem == "":
		p.open, p.password, p.panel = "", "", AdminDone{}
	}
	p.secretLabel = ""
	switch {
	case d.Officer != nil && d.Action == ActionAdminAddUser:
		p.secretLabel = d.Officer.Name + "'s first password (username " + d.Officer.Username + ")."
	case d.Action == ActionAdminSetPassword:
		d.Message = p.whose(d.ID) + " new password is set, and every device they were signed in on is signed out."
		p.secretLabel = p.whose(d.ID) + " new password."
	}
	p.answer, p.copied = d, AdminDone{}
	focus(ctx, "staff-answer")
}

// whose is the possessive of the name of the person id, "Their" when the
// list does not hold them.
func (p *AdminStaff) whose(id string) string {
	for _, o := range p.view.Users {
		if o.ID == id {
			return o.Name + "'s"
		}
	}
	return "Their"
}

func firstOf(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

func (p *AdminStaff) Render() app.UI {
	return adminShell("Staff", PathAdminStaff, p.signed, p.view.Loaded,
		app.If(!p.adding, func() app.UI {
			return app.Div().Class("actions").Body(
				app.Button().Type("button").ID("staff-add-open").Class("button").
					OnClick(func(ctx app.Context, e app.Event) {
						p.adding, p.add = true, staffDraft{Role: housing.RoleOfficer}
						focus(ctx, "staff-add-name")
					}).Text("Add a member of staff"),
			)
		}).Else(p.renderAdd),
		place(p.answer.Action != "", func() app.UI { return adminAnswer("staff-answer", p.answer, p.secretLabel, p.copied) }),
		app.H2().Text("Everyone who signs in"),
		app.If(len(p.view.Users) == 0, func() app.UI {
			return app.P().Class("note").Text("Nobody is listed yet.")
		}).Else(func() app.UI {
			sites, teams := siteNames(p.view.Sites), teamNames(p.view.Teams)
			return app.Ul().Class("admin-rows").Aria("label", "Staff").Body(
				app.Range(p.view.Users).Slice(func(i int) app.UI { return p.renderRow(p.view.Users[i], sites, teams) }),
			)
		}),
	)
}

// renderAdd is the form that adds a member of staff.
func (p *AdminStaff) renderAdd() app.UI {
	f := &p.add
	id := func(field string) string { return "staff-add-" + field }
	problem := func(field string) string { return adminProblem(f.answer, field, staffFields...) }
	text := func(name, label, typ, autocomplete, v string, set func(string)) app.UI {
		return field(id(name), label, app.Input().Type(typ).ID(id(name)).Name(name).
			Attr("autocomplete", autocomplete).Attr("autocapitalize", "none").Attr("spellcheck", "false").
			Aria("describedby", id(name)+"-problem").Value(v).
			OnInput(func(ctx app.Context, e app.Event) { set(value(ctx)) }), problem(name))
	}
	roles := []choice{
		{Value: string(housing.RoleOfficer), Label: "Officer: makes and keeps promises"},
		{Value: string(housing.RoleSupervisor), Label: "Supervisor: also reassigns, extends and breaks their teams' promises"},
		{Value: string(housing.RoleAdmin), Label: "Admin: also manages Doorstep, everywhere"},
	}
	return app.Form().ID("staff-add").Class("admin-form").NoValidate(true).
		OnSubmit(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			p.submitAdd(ctx)
		}).
		Body(
			app.H2().Text("Add a member of staff"),
			text(housing.FieldName, "Full name", "text", "off", f.Name, func(v string) { f.Name = v }),
			text(housing.FieldUsername, "Username (lower-case letters, digits, dots and dashes, like sarah.okafor; it cannot change later)", "text", "off", f.Username, func(v string) { f.Username = v }),
			text("email", "Email (optional; admins see it, phones never do)", "email", "off", f.Email, func(v string) { f.Email = v }),
			app.FieldSet().Class("choices").Body(
				app.Legend().Text("Role"),
				radioChoices(id("role"), roles, string(f.Role), func(_, v string) { f.Role = housing.Role(v) }),
				lastProblem(id(housing.FieldRole), problem(housing.FieldRole)),
			),
			app.FieldSet().Class("choices").Body(
				app.Legend().Text("Sites they work at"),
				checkboxes(id("sites"), siteChoices(p.view.Sites), f.Sites, func(v string, on bool) { f.Sites = toggle(f.Sites, v, on) }),
				lastProblem(id(housing.FieldSites), problem(housing.FieldSites)),
			),
			app.FieldSet().Class("choices").Body(
				app.Legend().Text("Teams they work in"),
				checkboxes(id("teams"), teamChoices(p.view.Teams), f.Teams, func(v string, on bool) { f.Teams = toggle(f.Teams, v, on) }),
				lastProblem(id(housing.FieldFunctions), problem(housing.FieldFunctions)),
			),
			text(housing.FieldPassword, "First password (leave it empty and Doorstep makes one, shown to you once)", "text", "off", f.Password, func(v string) { f.Password = v }),
			problemText(id("form"), problem("")),
			app.Div().Class("actions").Body(
				app.Button().Type("submit").Class("button").Attr("disabled", boolAttr(p.asked.waiting())).Text(busyText(p.asked.waiting(), "Add", "Adding…")),
				app.Button().Type("button").Class("button button-secondary").
					OnClick(func(ctx app.Context, e app.Event) { p.adding, p.add = false, staffDraft{} }).Text("Cancel"),
			),
		)
}

// toggle returns on with value ticked or not.
func toggle(on map[string]bool, v string, ticked bool) map[string]bool {
	if on == nil {
		on = map[string]bool{}
	}
	on[v] = ticked
	return on
}

// busyText is a button's label: what it does, or that it is doing it.
func busyText(busy bool, idle, working string) string {
	if busy {
		return working
	}
	return idle
}

// submitAdd checks the draft as the server will (housing.Officer.Validate,
// and the password rule when one is typed), then asks for it to be added.
func (p *AdminStaff) submitAdd(ctx app.Context) {
	f := &p.add
	if p.asked.waiting() {
		return
	}
	in := housing.NewOfficer{
		Username: housing.NormalizeUsername(f.Username), Name: strings.TrimSpace(f.Name), Role: f.Role,
		Sites: ticked(f.Sites), Functions: ticked(f.Teams), Email: strings.TrimSpace(f.Email), Password: f.Password,
	}
	err := housing.Officer{Username: in.Username, Name: in.Name, Role: in.Role, Sites: in.Sites, Functions: in.Functions}.Validate()
	if err == nil && in.Password != "" {
		err = housing.CheckPassword(in.Username, in.Password)
	}
	if err != nil {
		f.answer = validationAnswer(err)
		focus(ctx, "staff-add-"+firstOf(f.answer.Field, "form")+"-problem")
		return
	}
	f.answer = AdminDone{}
	p.asked.ask(ctx, ActionAdminAddUser, "", in)
}

// renderRow is one member of staff, with what an admin can do for them.
func (p *AdminStaff) renderRow(o housing.Officer, sites, teams map[string]string) app.UI {
	where := namesOf(o.Sites, sites)
	if o.Role == housing.RoleAdmin && where == "" {
		where = "Every site (an admin)"
	}
	return app.Li().Class("admin-row").DataSet("officer", o.ID).Body(
		app.P().Class("admin-row-title").Body(
			app.Strong().Text(o.Name),
			app.If(o.Disabled, func() app.UI { return app.Span().Class("admin-tag admin-tag-off").Text("Switched off") }),
			app.If(o.Imported, func() app.UI { return app.Span().Class("admin-tag").Text("From staff.csv") }),
		),
		app.Dl().Class("review-facts").Body(
			app.Dt().Text("Username"), app.Dd().Text(o.Username),
			app.Dt().Text("Role"), app.Dd().Text(roleLabel(o.Role)),
			app.Dt().Text("Sites"), app.Dd().Text(firstOf(where, "None")),
			app.Dt().Text("Teams"), app.Dd().Text(firstOf(namesOf(o.Functions, teams), "None")),
			app.Dt().Text("Email"), app.Dd().Text(firstOf(o.Email, "None given")),
		),
		app.Div().Class("actions").Body(
			app.If(o.Disabled, func() app.UI {
				return app.Button().Type("button").Class("button button-secondary").Value(o.ID).
					OnClick(func(ctx app.Context, e app.Event) {
						id := value(ctx)
						p.asked.ask(ctx, ActionAdminSwitchUser, id, AdminSwitch{OfficerID: id, On: true})
					}).Text("Switch on")
			}).Else(func() app.UI {
				return app.Button().Type("button").Class("button button-secondary").Value(o.ID).
					OnClick(func(ctx app.Context, e app.Event) { p.openPanel("off:" + value(ctx)) }).Text("Switch off")
			}),
			app.Button().Type("button").Class("button button-secondary").Value(o.ID).
				OnClick(func(ctx app.Context, e app.Event) {
					p.openPanel("password:" + value(ctx))
					focus(ctx, "staff-new-password")
				}).Text("Reset password"),
			app.Button().Type("button").Class("button button-secondary").Value(o.ID).
				OnClick(func(ctx app.Context, e app.Event) {
					id := value(ctx)
					p.openPanel("devices:" + id)
					ctx.NewActionWithValue(ActionAdminDevices, id)
				}).Text("Devices"),
		),
		place(p.open == "off:"+o.ID, func() app.UI { return p.renderSwitchOff(o) }),
		place(p.open == "password:"+o.ID, func() app.UI { return p.renderPassword(o) }),
		place(p.open == "devices:"+o.ID, func() app.UI { return p.renderDevices(o) }),
	)
}

func (p *AdminStaff) openPanel(open string) {
	if p.open == open {
		open = "" // a second tap closes it
	}
	p.open, p.password, p.panel = open, "", AdminDone{}
}

// renderSwitchOff asks before switching someone off: it signs them out of
// every device at once.
func (p *AdminStaff) renderSwitchOff(o housing.Officer) app.UI {
	return app.Div().Class("admin-panel").Body(
		app.P().Text("Switch off "+o.Name+"? They are signed out of every device at once and cannot sign in until an admin switches them on. Nothing they recorded is lost."),
		app.Div().Class("actions").Body(
			app.Button().Type("button").ID("staff-switch-off").Class("button").Value(o.ID).
				OnClick(func(ctx app.Context, e app.Event) {
					id := value(ctx)
					p.asked.ask(ctx, ActionAdminSwitchUser, id, AdminSwitch{OfficerID: id})
				}).Text("Switch off"),
			app.Button().Type("button").Class("button button-secondary").
				OnClick(func(ctx app.Context, e app.Event) { p.openPanel("") }).Text("Keep them on"),
		),
	)
}

// renderPassword sets someone's password: typed by the admin, or made.
func (p *AdminStaff) renderPassword(o housing.Officer) app.UI {
	return app.Form().Class("admin-panel").NoValidate(true).
		OnSubmit(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			p.submitPassword(ctx)
		}).
		Body(
			app.P().Text("A new password signs "+o.Name+" out of every device. Type one to give them, or leave it empty and Doorstep makes one, shown to you once."),
			field("staff-new-password", "New password (optional)", app.Input().Type("text").ID("staff-new-password").
				Attr("autocomplete", "off").Attr("autocapitalize", "none").Attr("spellcheck", "false").
				Aria("describedby", "staff-new-password-problem").Value(p.password).
				OnInput(func(ctx app.Context, e app.Event) { p.password = value(ctx) }), adminProblem(p.panel, housing.FieldPassword)),
			problemText("staff-password", adminProblem(p.panel, "", housing.FieldPassword)),
			app.Div().Class("actions").Body(
				app.Button().Type("submit").Class("button").Attr("disabled", boolAttr(p.asked.waiting())).Text("Set the password"),
				app.Button().Type("button").Class("button button-secondary").
					OnClick(func(ctx app.Context, e app.Event) { p.openPanel("") }).Text("Cancel"),
			),
		)
}

func (p *AdminStaff) submitPassword(ctx app.Context) {
	id, ok := strings.CutPrefix(p.open, "password:")
	if !ok || p.asked.waiting() {
		return
	}
	if p.password != "" {
		if err := housing.CheckPassword(p.usernameOf(id), p.password); err != nil {
			p.panel = validationAnswer(err)
			return
		}
	}
	p.panel = AdminDone{}
	p.asked.ask(ctx, ActionAdminSetPassword, id, AdminPassword{OfficerID: id, Password: p.password})
}

func (p *AdminStaff) usernameOf(id string) string {
	for _, o := range p.view.Users {
		if o.ID == id {
			return o.Username
		}
	}
	return ""
}

// renderDevices lists the devices someone is signed in on, each with a
// button to sign it out.
func (p *AdminStaff) renderDevices(o housing.Officer) app.UI {
	v := p.devices
	if v.OfficerID != o.ID {
		v = AdminDevicesView{OfficerID: o.ID, Loaded: Loaded{Loading: true}}
	}
	var active []housing.Session
	for _, s := range v.Sessions {
		if s.RevokedAt.IsZero() {
			active = append(active, s)
		}
	}
	return app.Div().Class("admin-panel").Body(
		app.H3().Text(o.Name+"'s devices"),
		reviewFreshness(v.Loaded),
		app.If(len(active) == 0 && !v.Loading && v.Problem == "" && !v.Offline, func() app.UI {
			return app.P().Text("Not signed in on any device.")
		}),
		app.Ul().Class("admin-devices").Body(
			app.Range(active).Slice(func(i int) app.UI {
				s := active[i]
				last := "never used since"
				if !s.LastSeenAt.IsZero() {
					last = "last used " + adminTime(s.LastSeenAt)
				}
				return app.Li().Body(
					app.P().Body(
						app.Strong().Text(firstOf(s.DeviceName, "A device")),
						app.Text(" · signed in "+adminTime(s.CreatedAt)+" · "+last),
					),
					app.Button().Type("button").Class("button button-secondary").Value(s.ID).
						OnClick(func(ctx app.Context, e app.Event) {
							sid := value(ctx)
							officer, _ := strings.CutPrefix(p.open, "devices:")
							p.asked.ask(ctx, ActionAdminSignOutDevice, sid, AdminDevice{OfficerID: officer, SessionID: sid})
						}).Text("Sign out this device"),
				)
			}),
		),
		app.If(p.panel.Action != "", func() app.UI { return adminAnswer("staff-devices-answer", p.panel, "", AdminDone{}) }),
	)
}
