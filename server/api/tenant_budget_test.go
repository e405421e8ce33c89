package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// tenantBudget is the tenant page's weight limit (README.md): 20 KB
// uncompressed, whatever the promise holds.
const tenantBudget = 20 * 1024

// TestTenantPageBudget builds the heaviest promise the system accepts, every
// text at its maximum length, and checks that each page a tenant can see
// stays within the budget. Fill decides what the texts are made of: plain
// words, or characters that the page must escape (five bytes each), so the
// limit holds in bytes and not only in characters.
func TestTenantPageBudget(t *testing.T) {
	for _, tc := range []struct {
		name string
		fill func(n int, tag string) string
	}{
		{"Words", words},
		{"Escaped", func(n int, tag string) string { return tag + strings.Repeat("'", n-len(tag)) }},
		{"FourByteRunes", func(n int, tag string) string { return tag + strings.Repeat("🏠", n-len(tag)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTenantSite(t)
			fill := tc.fill
			// Reference data has no length limit: the names and the address
			// are as long as anything else on the page.
			long := fill(housing.MaxComment, "ref")
			for _, q := range []string{
				`UPDATE functions SET name = ? WHERE id = '` + housing.FunctionRepairs + `'`,
				`UPDATE tenancies SET household = ?, address = ? || ', Leeds' WHERE id = 'riv1'`,
			} {
				args := []any{long}
				if strings.Contains(q, "household") {
					args = append(args, long)
				}
				if _, err := ts.db.SQL().Exec(q, args...); err != nil {
					t.Fatal(err)
				}
			}
			ts.tom.P.Name = long

			tn := ts.tenant()
			check := func(stage, page string) {
				t.Helper()
				if n := len(page); n > tenantBudget {
					t.Errorf("%s: the page weighs %d bytes, over the %d byte budget", stage, n, tenantBudget)
				} else {
					t.Logf("%s: %d bytes", stage, n)
				}
			}

			// A promise with the longest what, moved 50 times with the
			// longest reasons, then disputed by the tenant at length.
			c := ts.promise(fill(housing.MaxWhat, "what"))
			ts.extend(c, 50, fill)
			_, page := tn.get(housing.TenantPath(c.Token))
			check("extended 50 times", page)
			if tc.name == "Words" {
				latest := fill(housing.MaxComment, "reason 50 ")
				if !strings.Contains(page, latest) {
					t.Errorf("the page lacks the latest reason in full")
				}
				if strings.Contains(page, "reason 1 ") {
					t.Errorf("the page still shows the first extension's reason")
				}
				if !strings.Contains(page, "earlier changes") {
					t.Errorf("the page does not say that earlier changes are left out")
				}
			}
			res, page := tn.answerAt(c.Token, url.Values{
				"answer": {housing.TenantNotAgreed}, "comment": {fill(housing.MaxComment, "comment")}})
			if res.StatusCode != http.StatusOK {
				t.Fatalf("not_agreed: got %d", res.StatusCode)
			}
			check("answered not agreed", page)

			// Broken, with the longest apology.
			sue := synctest.NewDevice(t, &sqlite.SyncService{DB: ts.db.DB}, synctest.NewFixture(), "sue", "sue-phone")
			resp := sue.Push(sue.Mutation(housing.KindCommitmentBreak, c.ID, 0,
				housing.CommitmentAction{Reason: fill(housing.MaxComment, "apology")}))
			if r := resp.Results[0]; r.Status != housing.ResultApplied {
				t.Fatalf("break: got %+v", r)
			}
			_, page = tn.get(housing.TenantPath(c.Token))
			check("broken", page)

			// Moved again, done, and not done in the tenant's longest words.
			ts.extend(c, 1, fill)
			ts.complete(c.ID)
			_, page = tn.get(housing.TenantPath(c.Token))
			check("done", page)
			res, page = tn.answerAt(c.Token, url.Values{
				"answer": {housing.TenantNotDone}, "comment": {fill(housing.MaxComment, "still")}})
			if res.StatusCode != http.StatusOK {
				t.Fatalf("not_done: got %d", res.StatusCode)
			}
			check("answered not done", page)

			// Another promise, moved 50 times, then cancelled at length.
			c2 := ts.promise(fill(housing.MaxWhat, "what"))
			ts.extend(c2, 50, fill)
			resp = ts.tom.Push(ts.tom.Mutation(housing.KindCommitmentCancel, c2.ID, 0,
				housing.CommitmentAction{Reason: fill(housing.MaxComment, "cancel")}))
			if r := resp.Results[0]; r.Status != housing.ResultApplied {
				t.Fatalf("cancel: got %+v", r)
			}
			_, page = tn.get(housing.TenantPath(c2.Token))
			check("cancelled", page)
		})
	}
}

// words is n characters of plain words that start with tag.
func words(n int, tag string) string {
	var b strings.Builder
	b.WriteString(tag)
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "word%d ", i%10)
	}
	return b.String()[:n]
}

// promise has tom make a promise with the given what at riv1.
func (ts *tenantSite) promise(what string) housing.Commitment {
	ts.t.Helper()
	// The server copies the household and address from the tenancy.
	c := synctest.NewCommitment(ts.tom.P, housing.Tenancy{ID: "riv1", SiteID: "riverside"}, housing.FunctionRepairs)
	c.What = what
	resp := ts.tom.Push(ts.tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c))
	if r := resp.Results[0]; r.Status != housing.ResultApplied {
		ts.t.Fatalf("make promise: got %+v", r)
	}
	return c
}

// extend has tom move c's date n more times, each with the longest reason,
// numbered from the extensions c already has.
func (ts *tenantSite) extend(c housing.Commitment, n int, fill func(int, string) string) {
	ts.t.Helper()
	had := 0
	for _, e := range ts.find(c.Token).History {
		if e.Kind == housing.KindCommitmentExtend {
			had++
		}
	}
	var ms []housing.Mutation
	for i := had + 1; i <= had+n; i++ {
		due := housing.DateOf(time.Date(2026, 12, 5+i, 0, 0, 0, 0, time.UTC))
		ms = append(ms, ts.tom.Mutation(housing.KindCommitmentExtend, c.ID, 0, housing.CommitmentAction{
			DueDate: due, Reason: fill(housing.MaxComment, fmt.Sprintf("reason %d ", i))}))
	}
	for _, r := range ts.tom.Push(ms...).Results {
		if r.Status != housing.ResultApplied {
			ts.t.Fatalf("extend: got %+v", r)
		}
	}
}

// answerAt opens the page behind token, then posts its form with fields.
func (tn *tenant) answerAt(token string, fields url.Values) (*http.Response, string) {
	tn.t.Helper()
	_, page := tn.get(housing.TenantPath(token))
	for _, m := range formField.FindAllStringSubmatch(page, -1) {
		if fields.Get(m[1]) == "" {
			fields.Set(m[1], m[2])
		}
	}
	return tn.post(housing.TenantPath(token), fields)
}

func (ts *tenantSite) find(token string) housing.Commitment {
	ts.t.Helper()
	v, err := ts.db.TenantCommitment(context.Background(), token)
	if err != nil {
		ts.t.Fatal(err)
	}
	return v.Commitment
}
