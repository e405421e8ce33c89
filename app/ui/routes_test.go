package ui

import "testing"

func TestRouted(t *testing.T) {
	for path, want := range map[string]bool{
		"/":                    true,
		"/tenancies":           true,
		"/tenancies/0192f0c4":  true,
		"/tenancies/":          false,
		"/tenancies/a/visits":  false,
		"/visits/new":          true,
		"/visits/0192f0c4":     true,
		"/visits":              false,
		"/promises/0192f0c4":   true,
		"/promises/":           false,
		"/sync":                true,
		"/settings":            true,
		"/signin":              true,
		"/review":              true,
		"/admin":               true,
		"/admin/staff":         true,
		"/admin/places":        true,
		"/admin/standards":     true,
		"/admin/imports":       true,
		"/admin/tokens":        true,
		"/admin/nothing":       false,
		"/t/abc":               false,
		"/no/such/page":        false,
		"/tenancies?q=address": false, // a path never carries its query
	} {
		if got := Routed(path); got != want {
			t.Errorf("Routed(%q) = %v, want %v", path, got, want)
		}
	}
}
