package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// boolAttr is the value of a boolean attribute: every one the pages set
// (checked, selected, disabled, required, autofocus, hidden, open) is set
// with Attr(name, boolAttr(on)), never with go-app's Checked(on),
// Disabled(on) and the like.
//
// go-app v10.1.11 stores a bool as "true" or "false", and the two halves of
// the app read that differently. The server prints it into the prerendered
// page as checked="false", and a browser takes any boolean attribute that is
// present as on: until the wasm had loaded, every radio group showed its last
// choice checked and every button looked disabled. The live page, built by
// the wasm, is right with "false": for these names go-app sets the element's
// property from the value parsed as a bool (input.checked = false). Leaving
// the attribute out there instead would be wrong: go-app then calls
// removeAttribute, and a radio or option that was once checked or selected
// stays so, because checked and selected follow their attribute only until
// they are first set.
//
// So the one rule: on is "true"; off is left out of the server's HTML (go-app
// drops an attribute whose value is empty) and is "false" in the browser.
// The prerendered page is replaced by the wasm's own on load, so the two
// never meet. Only names go-app sets as properties may use it (those above,
// and multiple, readonly, muted...): any other name is set with
// setAttribute, where "false" would mean on.
func boolAttr(on bool) string {
	switch {
	case on:
		return "true"
	case app.IsServer:
		return ""
	default:
		return "false"
	}
}
