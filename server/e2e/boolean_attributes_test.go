package e2e_test

import (
	"fmt"
	"testing"

	"doorstep/server/demo"
	"doorstep/server/e2e"
)

// go-app writes a false boolean attribute as checked="false",
// disabled="false", open="false"..., and a browser takes any boolean
// attribute that is present as on. The server's prerendered page, which is
// the screen until the wasm has loaded, showed every radio group with its
// last choice checked and every button disabled. app/ui's boolAttr leaves a
// false one out of the server's HTML and keeps "false" in the wasm, where
// go-app sets the element's property: these tests hold both halves.

// TestPrerenderedPagesShowNothingOn parses each page as the server sends
// it, as the browser does before the wasm has loaded, and checks that
// nothing is checked, disabled or open that the page has not set so.
func TestPrerenderedPagesShowNothingOn(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	b.Open(srv.URL + "/signin")

	for _, page := range []struct {
		path     string
		selector string // what must be nowhere on the page as prerendered
	}{
		{"/visits/new", "input:checked, button:disabled"},
		{"/signin", "button:disabled"},
		{"/sync", "button:disabled"},
		{"/review", "details[open]"}, // the filters start closed
	} {
		on := e2e.Eval[[]string](b, fmt.Sprintf(`fetch(%q).then((r) => r.text()).then((html) => {
			const doc = new DOMParser().parseFromString(html, "text/html");
			if (!doc.querySelector("main")) return ["(no page)"];
			return [...doc.querySelectorAll(%q)].map((e) => e.outerHTML.slice(0, 160));
		})`, page.path, page.selector))
		if len(on) > 0 {
			t.Errorf("%s as prerendered shows %d elements on (%s): %q", page.path, len(on), page.selector, on)
		}
	}
}

// TestVisitFormClearsChoicesForAnotherTenancy picks a purpose, an answer
// and the complaint box for one tenancy and hands the phone over, then moves the same form to
// another tenancy, which starts it afresh: the live page must then show
// nothing checked, as its state says. The wasm must still write a false
// checked as "false", which go-app sets as the property: removing the
// attribute instead leaves a tapped radio checked.
func TestVisitFormClearsChoicesForAnotherTenancy(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	signinOnline(t, b, srv.URL, "sarah")

	first, second := demo.TenancyID("RIV-00021"), demo.TenancyID("RIV-00022")
	b.Open(srv.URL + "/visits/new?tenancy=" + first)
	signinWait(t, b, `!!document.querySelector("#purpose-other") && !!document.querySelector(".chosen-tenancy")`, "the visit form with its tenancy")
	was := e2e.Eval[string](b, `document.querySelector("#tenancy").textContent`)

	formsTap(t, b, "purpose-other")
	formsTap(t, b, e2e.Eval[string](b, `document.querySelector('input[type=radio][name^="q-"]').id`))
	formsTap(t, b, "complaint")
	// Handing the phone over enlarges the feedback: once it has, go-app
	// has drawn the form with every tap above in its state. A form started
	// afresh before that draw is the same as the last one drawn, and go-app
	// would change nothing on the screen.
	formsTap(t, b, "hand-over")
	signinWait(t, b, `!!document.querySelector("#feedback.feedback-large")`, "the feedback drawn for the tenant")
	if n := e2e.Eval[int](b, `document.querySelectorAll("input:checked").length`); n != 4 {
		t.Fatalf("%d inputs checked after four taps, want 4", n)
	}

	e2e.Eval[bool](b, fmt.Sprintf(`(goappNav("/visits/new?tenancy=%s"), true)`, second))
	signinWait(t, b, fmt.Sprintf(`!!document.querySelector(".chosen-tenancy") && document.querySelector("#tenancy").textContent !== %q`, was),
		"the form for the second tenancy")
	// The phone stays in the tenant's hands: that is not the form's.
	if got := e2e.Eval[[]string](b, `[...document.querySelectorAll("input:checked")].map((e) => e.id)`); len(got) != 1 || got[0] != "hand-over" {
		t.Errorf("the form started afresh for another tenancy shows %q checked, want only hand-over", got)
	}
}
