package ui

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// AdminImports is the imports page (/admin/imports): the admin chooses the
// CSV files their housing management system exports (docs/import.md),
// checks what they would change, applies them, and sees the history of
// imports. Applying shows each new account's one-time password once.
type AdminImports struct {
	app.Compo

	signed adminSignedIn
	view   AdminImportsView
	done   AdminDone

	asked       adminAsked
	chosen      []string // the names of the files chosen, as the input says
	noPasswords bool
	// result is the answer to the last check or apply: its report, or
	// every problem found. It lives only as long as the page, so the
	// passwords an import made are shown once.
	result AdminDone
	copied AdminDone // the answer to the last copy of the passwords
}

// importInput is the file input's element ID, which the wiring reads the
// files from.
const importInput = "import-files"

func (p *AdminImports) OnMount(ctx app.Context) {
	ctx.ObserveState(StateAdminImports, &p.view)
	ctx.ObserveState(StateAdminDone, &p.done).OnChange(func() {
		switch {
		case p.done.Action == ActionAdminCopy:
			p.copied = p.done
		case p.asked.answered(p.done):
			p.result, p.copied = p.done, AdminDone{}
			focus(ctx, "import-result")
		}
	})
	p.signed.observe(ctx, p.load)
}

func (p *AdminImports) load(ctx app.Context) { ctx.NewAction(ActionAdminImports) }

func (p *AdminImports) Render() app.UI {
	busy := p.asked.waiting()
	return adminShell("Imports", PathAdminImports, p.signed, p.view.Loaded,
		app.P().Class("note").Text("Load the CSV files your housing management system exports: sites.csv, teams.csv, staff.csv and tenancies.csv, "+
			"any of them at once. Check them first: nothing changes until you apply them, and a file with a bad row changes nothing at all. "+
			"An import can run again every night: a row that has not changed changes nothing."),
		app.Form().ID("import-form").Class("admin-form").NoValidate(true).
			OnSubmit(func(ctx app.Context, e app.Event) { e.PreventDefault() }).
			Body(
				app.Div().Class("field").Body(
					app.Label().For(importInput).Text("CSV files"),
					app.Input().Type("file").ID(importInput).Name("file").Attr("multiple", boolAttr(true)).Attr("accept", ".csv,text/csv").
						OnChange(func(ctx app.Context, e app.Event) { p.chosen, p.result = chosenFiles(ctx), AdminDone{} }),
				),
				app.P().Class("hint").ID("import-chosen").Text(chosenWords(p.chosen)),
				app.Div().Class("choice").Body(
					app.Input().Type("checkbox").ID("import-no-passwords").Attr("checked", boolAttr(p.noPasswords)).
						OnChange(func(ctx app.Context, e app.Event) { p.noPasswords = checked(ctx) }),
					app.Label().For("import-no-passwords").Text("Make no passwords for new staff: an admin sets each one later, on the Staff page"),
				),
				app.Div().Class("actions").Body(
					app.Button().Type("button").ID("import-check").Class("button").Attr("disabled", boolAttr(busy)).
						OnClick(func(ctx app.Context, e app.Event) { p.send(ctx, true) }).Text(busyText(busy, "Check", "Working…")),
					app.Button().Type("button").ID("import-apply").Class("button button-secondary").Attr("disabled", boolAttr(busy)).
						OnClick(func(ctx app.Context, e app.Event) { p.send(ctx, false) }).Text("Apply"),
				),
			),
		place(p.result.Action != "", p.renderResult),
		app.H2().Text("Imports applied"),
		p.renderHistory(),
	)
}

// send asks for the chosen files to be checked (dryRun) or applied.
func (p *AdminImports) send(ctx app.Context, dryRun bool) {
	if p.asked.waiting() {
		return
	}
	p.asked.ask(ctx, ActionAdminImport, "", AdminImport{Input: importInput, DryRun: dryRun, NoPasswords: p.noPasswords})
}

// chosenFiles reads the names of the files chosen in the input that raised
// the event; the files themselves are read by the wiring when sent.
func chosenFiles(ctx app.Context) []string {
	files := ctx.JSSrc().Get("files")
	var names []string
	for i := range files.Length() {
		names = append(names, files.Index(i).Get("name").String())
	}
	return names
}

func chosenWords(names []string) string {
	if len(names) == 0 {
		return "No files chosen yet."
	}
	return "Chosen: " + strings.Join(names, ", ") + "."
}

// renderResult is what the last check or apply found: every problem, or
// what it did (or would do), and any one-time passwords.
func (p *AdminImports) renderResult() app.UI {
	d := p.result
	return app.Div().ID("import-result").Class("admin-answer").TabIndex(-1).Body(
		app.If(d.Problem != "", func() app.UI {
			return app.Div().Body(
				app.P().Class("review-problem").Role("alert").Text(d.Problem),
				app.If(len(d.Problems) > 0, func() app.UI {
					return app.Div().Body(
						app.P().Text("Nothing has changed. Fix these rows in your files, then check again:"),
						app.Ul().Class("import-problems").Body(
							app.Range(d.Problems).Slice(func(i int) app.UI { return app.Li().Text(problemWords(d.Problems[i])) }),
						),
					)
				}),
			)
		}).ElseIf(d.Report != nil, func() app.UI {
			return p.renderReport(*d.Report)
		}),
	)
}

// problemWords says where a problem is and what it is: "staff.csv, line
// 3, column role: ...".
func problemWords(pr housing.Problem) string {
	where := pr.File
	if pr.Line > 0 {
		where += ", line " + strconv.Itoa(pr.Line)
	}
	if pr.Column != "" {
		where += ", column " + pr.Column
	}
	return where + ": " + pr.Message
}

func (p *AdminImports) renderReport(r housing.ImportReport) app.UI {
	head := "Applied. Phones get the changes at their next sync."
	if r.DryRun {
		head = "Checked: this is what applying the files would do. Nothing has changed yet."
	}
	kinds := []struct {
		label string
		c     housing.ImportCounts
	}{{"Sites", r.Sites}, {"Teams", r.Teams}, {"Staff", r.Staff}, {"Tenancies", r.Tenancies}}
	return app.Div().Body(
		app.P().Class("admin-done").Role("status").Text(head),
		app.Range(kinds).Slice(func(i int) app.UI {
			k := kinds[i]
			return app.Div().Class("import-kind").Body(
				app.H3().Text(k.label),
				app.P().Text(countWords(k.label, k.c)),
				rowList("Added", k.c.AddedRows),
				rowList("Changed", k.c.ChangedRows),
				rowList("Ended", k.c.EndedRows),
			)
		}),
		app.If(len(r.Passwords) > 0, func() app.UI { return p.passwordList(r) }),
	)
}

// countWords sums up what an import did with one kind of row.
func countWords(kind string, c housing.ImportCounts) string {
	ended := "ended"
	if kind == "Staff" {
		ended = "switched off"
	}
	return strconv.Itoa(c.Added) + " added, " + strconv.Itoa(c.Changed) + " changed, " + strconv.Itoa(c.Ended) + " " + ended + ", " +
		strconv.Itoa(c.Unchanged) + " unchanged."
}

// rowList is the first rows of one kind, as the report describes them.
func rowList(label string, rows []string) app.UI {
	return app.If(len(rows) > 0, func() app.UI {
		return app.Div().Body(
			app.P().Class("review-meta").Text(label+", the first "+strconv.Itoa(len(rows))+":"),
			app.Ul().Class("import-rows").Body(app.Range(rows).Slice(func(i int) app.UI { return app.Li().Text(rows[i]) })),
		)
	})
}

// passwordList shows the new accounts' one-time passwords, which the
// server keeps no copy of, with a warning and ways to keep them.
func (p *AdminImports) passwordList(r housing.ImportReport) app.UI {
	return app.Div().Class("admin-secret").Body(
		app.H3().Text("New staff's first passwords"),
		app.P().Class("admin-warning").Role("alert").Text("These passwords are shown only now, and Doorstep keeps no copy. "+
			"Download or copy them before you leave this page, keep them safe, and give each person only their own."),
		app.Table().Class("import-passwords").Body(
			app.THead().Body(app.Tr().Body(app.Th().Text("Username"), app.Th().Text("Password"))),
			app.TBody().Body(app.Range(r.Passwords).Slice(func(i int) app.UI {
				pw := r.Passwords[i]
				return app.Tr().Body(app.Td().Text(pw.Username), app.Td().Body(app.Code().Text(pw.Password)))
			})),
		),
		// The handlers read the report shown when they run, not one
		// captured when the buttons were first drawn: go-app keeps a
		// button's first handler, and a second import's passwords would
		// otherwise be saved as the first's.
		app.Div().Class("actions").Body(
			app.Button().Type("button").ID("import-download-passwords").Class("button").
				OnClick(func(ctx app.Context, e app.Event) {
					if f, ok := p.passwordsFile(); ok {
						ctx.NewActionWithValue(ActionAdminDownload, f)
					}
				}).Text("Download the passwords (CSV)"),
			app.Button().Type("button").Class("button button-secondary").
				OnClick(func(ctx app.Context, e app.Event) {
					if f, ok := p.passwordsFile(); ok {
						ctx.NewActionWithValue(ActionAdminCopy, f.Text)
					}
				}).Text("Copy them"),
		),
		copiedStatus(p.copied),
	)
}

// passwordsFile is the one-time passwords shown, as a CSV file named for
// the day of the import.
func (p *AdminImports) passwordsFile() (AdminFile, bool) {
	r := p.result.Report
	if r == nil || len(r.Passwords) == 0 {
		return AdminFile{}, false
	}
	name := "doorstep-passwords.csv"
	if !r.At.IsZero() {
		name = "doorstep-passwords-" + string(housing.LocalDate(r.At)) + ".csv"
	}
	return AdminFile{Name: name, MimeType: "text/csv", Text: passwordsCSV(r.Passwords)}, true
}

// passwordsCSV is the passwords as a CSV file. Usernames and passwords
// are letters, digits, dots, dashes and underscores, so no cell needs
// quoting, and none starts with a character a spreadsheet would run.
func passwordsCSV(list []housing.OneTimePassword) string {
	var b strings.Builder
	b.WriteString("username,password\n")
	for _, p := range list {
		b.WriteString(p.Username + "," + p.Password + "\n")
	}
	return b.String()
}

// renderHistory lists the imports applied, newest first.
func (p *AdminImports) renderHistory() app.UI {
	list := p.view.Imports
	if len(list) == 0 {
		return app.P().Class("note").Text("No imports yet.")
	}
	return app.Ul().Class("admin-rows").Aria("label", "Imports applied").Body(
		app.Range(list).Slice(func(i int) app.UI {
			r := list[i]
			return app.Li().Class("admin-row").Body(
				app.P().Class("review-meta").Text(adminTime(r.At)+" · "+firstOf(r.ByName, "An admin")+" · "+strings.Join(r.Files, ", ")),
				app.P().Text("Sites: "+countWords("Sites", r.Sites)),
				app.P().Text("Teams: "+countWords("Teams", r.Teams)),
				app.P().Text("Staff: "+countWords("Staff", r.Staff)),
				app.P().Text("Tenancies: "+countWords("Tenancies", r.Tenancies)),
			)
		}),
	)
}
