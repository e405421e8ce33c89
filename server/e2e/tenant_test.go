package e2e_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"doorstep/app/remote"
	"doorstep/server/demo"
	"doorstep/server/e2e"
	"doorstep/shared/housing"
)

// TestTenantConfirmsOnAPhone: a tenant opens the link on a 360×740 phone
// and confirms the promise; the repairs officer who owns it, on another
// phone, receives the answer by sync.
func TestTenantConfirmsOnAPhone(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)

	// Sarah (tenancy officer, Riverside) makes a repairs promise at the door.
	sarah := phoneOf(t, srv.URL, "sarah")
	tenancy := demo.TenancyID("RIV-00003")
	c := housing.Commitment{
		ID: uuid.Must(uuid.NewV7()).String(), TenancyID: tenancy, SiteID: "riverside",
		MadeBy: sarah.officer.ID, MadeByName: sarah.officer.Name, FunctionID: housing.FunctionRepairs,
		What: "Replace the broken kitchen extractor fan", DueDate: housing.AddWorkingDays(housing.DateOf(time.Now()), 5), Token: housing.NewToken(),
	}
	sarah.push(t, housing.KindCommitmentMake, c.ID, c)

	// Tom (repairs) has the promise on his phone before the tenant answers.
	tom := phoneOf(t, srv.URL, "tom")
	tom.pullAll(t)
	if got := tom.commitment(t, c.ID); got.TenantAgreement != "" {
		t.Fatalf("tom's copy already says %q", got.TenantAgreement)
	}

	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	b.Do(chromedp.Navigate(srv.URL + housing.TenantPath(c.Token)))
	if got := b.Text("h1"); got != "What we promised you" {
		t.Fatalf("tenant page heading %q", got)
	}
	if w := e2e.Eval[int](b, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the page is %dpx wide on a 360px phone: it scrolls sideways", w)
	}
	size := e2e.Eval[int](b, `new Blob([document.documentElement.outerHTML]).size`)
	t.Logf("tenant page: %d bytes of HTML (budget 20 KB)", size)
	if size > 20*1024 {
		t.Errorf("tenant page is %d bytes, over the 20 KB budget", size)
	}
	if n := e2e.Eval[int](b, `document.scripts.length`); n != 0 {
		t.Errorf("the tenant page has %d scripts, want none", n)
	}
	b.Do(chromedpClick(`button[value="agreed"]`))
	if got := b.Text(".notice"); !strings.Contains(got, "this is what you agreed") {
		t.Fatalf("after confirming the page says %q", got)
	}
	// The page shows the answer instead of asking again, and offers to change it.
	if n := e2e.Eval[int](b, `document.querySelectorAll('button[value="agreed"]').length`); n != 0 {
		t.Errorf("after confirming, the page still offers 'Yes, this is what we agreed'")
	}
	if got := b.Text(".said"); !strings.Contains(got, "You told us this is what you agreed on ") {
		t.Errorf("after confirming the page's answer reads %q", got)
	}
	if n := e2e.Eval[int](b, `document.querySelectorAll('details button[value="not_agreed"]').length`); n != 1 {
		t.Errorf("after confirming, the page has %d ways to change the answer, want 1", n)
	}
	b.Screenshot(e2e.ArtifactPath(t, "tenant-confirmed-360.png"))

	tom.pullAll(t)
	if got := tom.commitment(t, c.ID); got.TenantAgreement != housing.TenantAgreed {
		t.Errorf("tom's phone shows tenant agreement %q after sync, want agreed", got.TenantAgreement)
	}
	// The server's log names the route, never the link's token.
	if out := srv.Output(); strings.Contains(out, c.Token) || !strings.Contains(out, "path=/t/:token") {
		t.Errorf("the server log holds the tenant's token, or no tenant request under its route:\n%s", out)
	}
}

// apiPhone is a signed-in phone driving the real sync protocol.
type apiPhone struct {
	c       remote.Client
	officer housing.Officer
	device  string
	next    int64
	cursor  string
	records map[string]json.RawMessage
}

func phoneOf(t testing.TB, base, username string) *apiPhone {
	t.Helper()
	p := &apiPhone{c: remote.Client{BaseURL: base}, next: 1, records: map[string]json.RawMessage{}}
	s, err := p.c.SignIn(context.Background(), housing.SignIn{Username: username, Password: demo.Password, DeviceName: username + "'s test phone"})
	if err != nil {
		t.Fatalf("sign in %s: %v", username, err)
	}
	p.officer, p.device = s.Officer, s.DeviceID
	return p
}

func (p *apiPhone) sync(t testing.TB, ms ...housing.Mutation) housing.SyncResponse {
	t.Helper()
	resp, err := p.c.Sync(context.Background(), housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: p.device, Cursor: p.cursor, Mutations: ms})
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	for _, ch := range resp.Changes {
		p.records[ch.Kind+"/"+ch.ID] = ch.Data
	}
	p.cursor = resp.Cursor
	return resp
}

func (p *apiPhone) push(t testing.TB, kind, id string, data any) {
	t.Helper()
	raw, _ := json.Marshal(data)
	resp := p.sync(t, housing.Mutation{Seq: p.next, Kind: kind, RecordID: id, HappenedAt: time.Now().UTC(), Data: raw})
	p.next++
	if r := resp.Results[0]; r.Status != housing.ResultApplied {
		t.Fatalf("%s: %+v", kind, r)
	}
}

func (p *apiPhone) pullAll(t *testing.T) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		if !p.sync(t).HasMore {
			return
		}
	}
	t.Fatal("pull never ended")
}

func (p *apiPhone) commitment(t *testing.T, id string) housing.Commitment {
	t.Helper()
	var c housing.Commitment
	raw, ok := p.records[housing.RecordCommitment+"/"+id]
	if !ok {
		t.Fatalf("%s's phone does not hold promise %s", p.officer.Username, id)
	}
	json.Unmarshal(raw, &c)
	return c
}
