package ui

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/shared/housing"
)

// tagPattern finds the start of every opening and closing tag.
var tagPattern = regexp.MustCompile(`<(/?[a-zA-Z][a-zA-Z0-9-]*)`)

// shape is the page's tree as go-app matches it on an update: its tags in
// order, without attributes or text. Two renders of the same shape update
// each element in place, so every input keeps its own handler.
func shape(html string) []string {
	var tags []string
	for _, m := range tagPattern.FindAllStringSubmatch(html, -1) {
		tags = append(tags, m[1])
	}
	return tags
}

// firstDifference is the index where two shapes part, and what each has
// there, for a failure message a reader can act on.
func firstDifference(a, b []string) (int, string, string) {
	at := func(s []string, i int) string {
		if i < len(s) {
			return s[i]
		}
		return "(end)"
	}
	for i := 0; i < len(a) || i < len(b); i++ {
		if at(a, i) != at(b, i) {
			return i, at(a, i), at(b, i)
		}
	}
	return -1, "", ""
}

// withoutLast is the shape of html without the problem paragraph of
// field, which must be the last element of its parent: a closing tag
// follows it.
func withoutLast(t *testing.T, html, field string) []string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<p [^>]*id="` + regexp.QuoteMeta(field) + `-problem"[^>]*>[^<]*</p>\s*(<.)`).FindStringSubmatchIndex(html)
	if m == nil {
		t.Fatalf("no problem slot for %s", field)
	}
	if next := html[m[2]:m[3]]; next != "</" {
		t.Errorf("the problem at %s is followed by another element, which it moves", field)
	}
	return shape(html[:m[0]] + html[m[2]:])
}

// problemSlot finds the text of the problem slot for field in html.
func problemSlot(html, field string) (text string, ok bool) {
	m := regexp.MustCompile(`<p [^>]*id="` + regexp.QuoteMeta(field) + `-problem"[^>]*>([^<]*)</p>`).FindStringSubmatch(html)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// TestFormsKeepTheirShape draws every form with inline problems once with
// nothing to say and once with a problem at each field it can name, and
// checks that the problem shows in that field's slot and moves nothing:
// either its slot was there already, or it is the last element of its
// parent. go-app matches elements by position, and a problem that was
// inserted above the purpose radios made each tap choose the next purpose.
func TestFormsKeepTheirShape(t *testing.T) {
	const said = "Something to fix here."
	standards := housing.DefaultStandards()
	ref := Reference{Standards: standards, Functions: []housing.Function{
		{ID: housing.FunctionRepairs, Name: "Repairs"}, {ID: housing.FunctionIncome, Name: "Income and rent"}}}
	tenancy := TenancyView{Tenancy: housing.Tenancy{ID: "t1", Household: "Mrs A Khan", Address: "1 Ferry Lane"}}
	visitWith := func(tenancyID string) func(field, problem string) app.UI {
		return func(field, problem string) app.UI {
			return &NewVisit{ref: ref, tenancy: tenancy, field: field, problem: problem,
				form: visitForm{TenancyID: tenancyID, Started: "2026-03-02T10:30", Promises: []promiseForm{
					// A date in the past: its warning and reason are shown.
					{What: "Fix the gate", Function: housing.FunctionRepairs, Standard: "repairs.urgent", Due: "2020-01-01"},
					{},
				}}}
		}
	}
	promise := housing.Commitment{ID: "c1", TenancyID: "t1", What: "Fix the gate", FunctionID: housing.FunctionRepairs,
		StandardID: "repairs.urgent", DueDate: "2020-01-01"}
	visit := housing.Visit{ID: "v1", TenancyID: "t1", Purpose: housing.PurposeOther}
	correcting := func(kind string, record any) func(field, problem string) app.UI {
		return func(field, problem string) app.UI {
			data, err := json.Marshal(record)
			if err != nil {
				t.Fatal(err)
			}
			a := AttentionItem{ID: "d:1", Kind: kind, Reason: "Refused.", Data: data}
			c, ok := newCorrection(a)
			if !ok {
				t.Fatalf("cannot correct %s", kind)
			}
			return &SyncPage{ref: ref, attention: []AttentionItem{a}, editing: a.ID, correction: c, field: field, problem: problem}
		}
	}
	options := housing.ReviewOptions{Sites: []housing.Site{{ID: "riverside", Name: "Riverside Estate"}}, Functions: ref.Functions,
		Officers: []housing.Officer{{ID: "o1", Name: "Sarah Okafor", Functions: []string{housing.FunctionRepairs}}}}
	item := housing.QueueItem{Queue: housing.QueueOverdue, Commitment: promise}

	tests := []struct {
		name   string
		render func(field, problem string) app.UI
		fields []string
	}{
		{"NewVisit", visitWith("t1"), []string{"purpose", "notes", "started", "save", "feedback",
			"commitment-0-what", "commitment-0-function", "commitment-0-standard", "commitment-0-due", "commitment-0-time", "commitment-0-reason",
			"commitment-1-what", "commitment-1-function", "commitment-1-due", "commitment-1-time"}},
		{"NewVisitNoTenancy", visitWith(""), []string{"tenancy", "purpose"}},
		{"CorrectVisit", correcting(housing.KindVisitRecord, visit), []string{"correction-purpose", "correction-notes", "correction"}},
		{"CorrectPromise", correcting(housing.KindCommitmentMake, promise), []string{"correction-what", "correction-function", "correction-due", "correction-time", "correction-reason", "correction"}},
		{"SignIn", func(field, problem string) app.UI {
			p := &SignIn{form: SignInForm{DeviceName: "Pixel 7"}}
			if field == "signin" {
				p.result.Problem = problem // the server's answer
			} else {
				p.field, p.problem = field, problem
			}
			return p
		}, []string{"username", "password", "signin"}},
		{"ReviewFilters", func(field, problem string) app.UI {
			p := &Review{view: ReviewQueuesView{Queues: housing.Queues{Options: options}}}
			p.filter.problem = problem
			return p
		}, []string{"review-filter"}},
		{"MeasuresPeriod", func(field, problem string) app.UI {
			p := &ReviewMeasures{view: ReviewMeasuresView{Measures: housing.Measures{Options: options}}}
			p.filter.problem = problem
			return p
		}, []string{"review-period"}},
		{"ReviewAction", func(field, problem string) app.UI {
			r := &ReviewRow{Item: item, Options: options, Open: true}
			r.form = reviewActForm{kind: housing.KindCommitmentReassign, function: housing.FunctionRepairs, problem: problem}
			return r
		}, []string{"act-c1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			baseHTML := app.HTMLString(tt.render("", ""))
			base := shape(baseHTML)
			for _, field := range tt.fields {
				html := app.HTMLString(tt.render(field, said))
				got := shape(html)
				if _, always := problemSlot(baseHTML, field); !always {
					// Rendered only when there is a problem: it must be
					// the last element of its parent.
					got = withoutLast(t, html, field)
				}
				if i, was, now := firstDifference(base, got); i >= 0 {
					t.Errorf("a problem at %s changes the form's shape at tag %d: <%s> became <%s>", field, i, was, now)
				}
				if got, ok := problemSlot(html, field); !ok || got != said {
					t.Errorf("a problem at %s shows %q in its slot (found: %v), want %q", field, got, ok, said)
				}
			}
		})
	}
}
