package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// booleanAttributes are the HTML attributes a browser takes as on whenever
// they are present, whatever their value.
var booleanAttributes = []string{
	"allowfullscreen", "async", "autofocus", "autoplay", "checked", "controls", "default", "defer",
	"disabled", "formnovalidate", "hidden", "inert", "ismap", "itemscope", "loop", "multiple", "muted",
	"nomodule", "novalidate", "open", "playsinline", "readonly", "required", "reversed", "selected",
}

// openTag finds each opening tag and the attributes in it.
var (
	openTag   = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*/?>`)
	attribute = regexp.MustCompile(`([^\s=>]+)(?:="([^"]*)")?`)
)

// onCounts counts the elements of html that a browser shows with each
// boolean attribute on (present, with any value), and reports every one
// written with the value "false".
func onCounts(t *testing.T, html string) map[string]int {
	t.Helper()
	boolean := map[string]bool{}
	for _, name := range booleanAttributes {
		boolean[name] = true
	}
	on := map[string]int{}
	for _, tag := range openTag.FindAllStringSubmatch(html, -1) {
		for _, a := range attribute.FindAllStringSubmatch(tag[2], -1) {
			name, value := strings.ToLower(a[1]), a[2]
			if !boolean[name] {
				continue
			}
			on[name]++
			if value == "false" {
				t.Errorf("<%s%s> has %s=\"false\", which a browser reads as %s", tag[1], tag[2], name, name)
			}
		}
	}
	return on
}

// TestNoBooleanAttributeIsFalse renders every page as the server
// prerenders it, and every form with its choices made, its errors shown and
// its buttons busy, and checks that no boolean attribute is written as
// "false" and that the ones a browser sees as on are those the state says.
// go-app prints Checked(false) as checked="false": before the wasm loaded,
// each radio group showed its last choice checked and every button looked
// disabled.
func TestNoBooleanAttributeIsFalse(t *testing.T) {
	ref := Reference{Standards: housing.DefaultStandards(), Functions: []housing.Function{
		{ID: housing.FunctionRepairs, Name: "Repairs"}, {ID: housing.FunctionIncome, Name: "Income and rent"}}}
	tenancy := TenancyView{Tenancy: housing.Tenancy{ID: "t1", Household: "Mrs A Khan", Address: "1 Ferry Lane"}}
	form := visitForm{TenancyID: "t1", Purpose: housing.PurposeOther, Started: "2026-03-02T10:30", Complaint: true,
		Promises: []promiseForm{{What: "Fix the gate", Function: housing.FunctionRepairs, Standard: "repairs.urgent", Due: "2020-01-01"}, {}}}
	promise := housing.Commitment{ID: "c1", TenancyID: "t1", What: "Fix the gate", FunctionID: housing.FunctionRepairs,
		StandardID: "repairs.urgent", DueDate: "2020-01-01", Status: housing.StatusOpen}
	options := housing.ReviewOptions{Sites: []housing.Site{{ID: "riverside", Name: "Riverside Estate"}}, Functions: ref.Functions,
		Officers: []housing.Officer{{ID: "o1", Name: "Sarah Okafor", Functions: []string{housing.FunctionRepairs}}}}
	refused := func(kind string, record any) AttentionItem {
		data, err := json.Marshal(record)
		if err != nil {
			t.Fatal(err)
		}
		return AttentionItem{ID: "d:1", Kind: kind, Reason: "Refused.", Data: data}
	}
	correcting := func(a AttentionItem) *SyncPage {
		c, ok := newCorrection(a)
		if !ok {
			t.Fatalf("cannot correct %s", a.Kind)
		}
		return &SyncPage{ref: ref, attention: []AttentionItem{a}, editing: a.ID, correction: c}
	}
	visitRefused := refused(housing.KindVisitRecord, housing.Visit{ID: "v1", TenancyID: "t1", Purpose: housing.PurposeOther})
	promiseRefused := refused(housing.KindCommitmentMake, promise)
	owner := Account{SignedIn: true, Officer: housing.Officer{ID: "o1", Functions: []string{housing.FunctionRepairs}}}

	tests := []struct {
		name string
		page app.UI
		want map[string]int // elements shown with each boolean attribute on; nil checks only for "false"
	}{
		// The purpose chosen and the complaint box ticked; the hand-over
		// box, every other purpose and the save button are off. Each
		// select has its one choice selected.
		{"NewVisit", &NewVisit{ref: ref, tenancy: tenancy, form: form},
			map[string]int{"checked": 2, "selected": 3, "novalidate": 1}},
		{"NewVisitHandedOverSaving", &NewVisit{ref: ref, tenancy: tenancy, form: form, handOver: true, saving: true},
			map[string]int{"checked": 3, "disabled": 1, "selected": 3, "novalidate": 1}},
		{"NewVisitProblem", &NewVisit{ref: ref, tenancy: tenancy, form: visitForm{TenancyID: "t1"}, field: "purpose", problem: "Choose the purpose of the visit."},
			map[string]int{"checked": 0, "novalidate": 1}},
		{"SignIn", &SignIn{form: SignInForm{DeviceName: "Pixel 7"}},
			map[string]int{"required": 2, "novalidate": 1}},
		{"SignInBusy", &SignIn{form: SignInForm{Username: "sarah", Password: "secret", DeviceName: "Pixel 7"}, busy: true},
			map[string]int{"required": 2, "disabled": 1, "novalidate": 1}},
		{"Tenancies", &Tenancies{query: "Ferry"}, map[string]int{"autofocus": 1}},
		{"SyncAttention", &SyncPage{ref: ref, attention: []AttentionItem{visitRefused}},
			map[string]int{"disabled": 0}},
		{"SyncAttentionSending", &SyncPage{ref: ref, sync: SyncState{Syncing: true}, attention: []AttentionItem{visitRefused}, sending: "d:1"},
			map[string]int{"disabled": 4}},
		{"CorrectVisit", correcting(visitRefused), map[string]int{"selected": 1, "disabled": 0}},
		{"CorrectPromise", correcting(promiseRefused), map[string]int{"selected": 1, "disabled": 0}},
		{"Promise", &Promise{id: "c1", account: owner, view: PromiseView{Commitment: promise}},
			map[string]int{"disabled": 0}},
		{"PromiseActing", &Promise{id: "c1", account: owner, acting: true, view: PromiseView{Commitment: promise}},
			map[string]int{"disabled": 2}},
		{"ReviewFiltersClosed", &Review{view: ReviewQueuesView{Queues: housing.Queues{Options: options}}},
			map[string]int{"open": 0, "selected": 4}},
		{"ReviewFiltersOpen", &Review{view: ReviewQueuesView{Queues: housing.Queues{Options: options}},
			filter: reviewFilterForm{open: true, site: "riverside"}},
			map[string]int{"open": 1, "selected": 4}},
		{"ReviewAction", &ReviewRow{Item: housing.QueueItem{Queue: housing.QueueOverdue, Commitment: promise}, Options: options, Open: true,
			form: reviewActForm{kind: housing.KindCommitmentReassign, function: housing.FunctionRepairs, owner: "o1"}},
			map[string]int{"checked": 1, "selected": 2, "required": 1, "novalidate": 1}},
	}
	// Every page as it is first drawn, loaded as the server loads it to
	// prerender a deep link (OnInit, OnPreRender, OnNav).
	for _, r := range routes {
		name := r.path
		if r.pattern != nil {
			name = r.pattern.String()
		}
		page := r.page()
		if err := app.NewTestEngine().Load(page); err != nil {
			t.Fatalf("loading the page at %s: %v", name, err)
		}
		tests = append(tests, struct {
			name string
			page app.UI
			want map[string]int
		}{"Route" + name, page, nil})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := onCounts(t, app.HTMLString(tt.page))
			for name, want := range tt.want {
				if got[name] != want {
					t.Errorf("%d elements show %s, want %d", got[name], name, want)
				}
			}
		})
	}
}

// typedBoolSetter finds go-app's typed setters of a boolean attribute, which
// print "false" into the prerendered page.
var typedBoolSetter = regexp.MustCompile(`(?m)(?:\.|^\s*)(AllowFullscreen|Async|AutoFocus|AutoPlay|Checked|Controls|Default|Defer|Disabled|FormNoValidate|Hidden|IsMap|Loop|Multiple|Muted|NoValidate|Open|ReadOnly|Required|Reversed|Selected)\(([^()]*)\)`)

// TestBooleanAttributesUseBoolAttr checks the sources of the pages for a
// boolean attribute set with go-app's typed setter to anything but true:
// TestNoBooleanAttributeIsFalse sees only the states it renders, and a
// button disabled only while saving would slip past it.
func TestBooleanAttributesUseBoolAttr(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range typedBoolSetter.FindAllStringSubmatch(string(src), -1) {
			if strings.TrimSpace(m[2]) != "true" {
				t.Errorf("%s: %s(%s) prints %s=\"false\" when off; use Attr(%q, boolAttr(...))",
					file, m[1], m[2], strings.ToLower(m[1]), strings.ToLower(m[1]))
			}
		}
	}
}
