package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// AppName is the name the officer sees in the header and the page titles.
const AppName = "Doorstep"

// Shell is the layout of every page: a header with the app name and the sync
// badge, the update prompt, the page's heading and content, and the tab bar.
//
// Its <main> element carries data-mounted="true" once the wasm has mounted
// it. The server's prerendered HTML never has it, so browser tests wait for
// it to know that the app is running, not just its prerendered page.
type Shell struct {
	app.Compo

	Ititle   string
	Icontent []app.UI

	mounted bool
	path    string
}

// NewShell returns an empty Shell; set its title and content with the
// builder methods.
func NewShell() *Shell { return &Shell{} }

// Title sets the page's heading and the document title.
func (s *Shell) Title(v string) *Shell {
	s.Ititle = v
	return s
}

// Content sets what the page shows under its heading.
func (s *Shell) Content(v ...app.UI) *Shell {
	s.Icontent = app.FilterUIElems(v...)
	return s
}

// OnNav runs on the server while prerendering and in the browser on every
// navigation: it names the document and marks the current tab.
func (s *Shell) OnNav(ctx app.Context) {
	s.path = ctx.Page().URL().Path
	title := AppName
	if s.Ititle != "" && s.path != PathHome {
		title = s.Ititle + " · " + AppName
	}
	ctx.Page().SetTitle(title)
}

// OnMount runs only in the browser, so the marker it sets proves the wasm runs.
// It also raises ActionAttach, which asks the wiring to publish everything
// the screens show, and the first time to start syncing (see contract.go).
func (s *Shell) OnMount(ctx app.Context) {
	s.mounted = true
	s.path = ctx.Page().URL().Path
	ctx.NewAction(ActionAttach)
}

func (s *Shell) Render() app.UI {
	main := app.Main().ID("main").Class("content")
	if s.mounted {
		main = main.DataSet("mounted", "true")
	}
	return app.Div().Class("shell").Body(
		app.Header().Class("bar").Body(
			app.A().Class("brand").Href(PathHome).Text(AppName),
			&SyncBadge{},
		),
		&UpdatePrompt{},
		main.Body(
			&SessionBanner{},
			app.If(s.Ititle != "", func() app.UI {
				return app.H1().Text(s.Ititle)
			}),
			app.Range(s.Icontent).Slice(func(i int) app.UI { return s.Icontent[i] }),
		),
		app.Nav().Class("tabs").Aria("label", "Main").Body(
			s.tab(PathHome, "Today"),
			s.tab(PathTenancies, "Tenancies"),
			s.tab(PathNewVisit, "New visit"),
			s.tab(PathSync, "Sync"),
		),
	)
}

func (s *Shell) tab(path, label string) app.UI {
	a := app.A().Href(path).Text(label)
	if s.path == path {
		a = a.Aria("current", "page")
	}
	return a
}
