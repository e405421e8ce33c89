package e2e_test

import (
	"strings"
	"testing"
	"time"

	"doorstep/server/e2e"
)

func TestMain(m *testing.M) { e2e.Main(m) }

// TestOfflineColdStart is the foundation's promise: once the app has been
// opened, it starts with the server gone and no network, from a cold browser,
// at "/", at a deep link and at a URL with a query string (a tenant's QR
// code lands on one).
func TestOfflineColdStart(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})

	// A phone where nobody is signed in shows the sign-in page first.
	signinOnline(t, b, srv.URL, "sarah")
	if got := b.Text("main h1"); got != "Today" {
		t.Errorf("home page heading %q, want Today", got)
	}
	if got := b.Text(".sync-badge"); !strings.HasPrefix(got, "Synced") {
		t.Errorf("sync badge %q, want Synced…", got)
	}
	if v := b.CSPViolations(); len(v) > 0 {
		t.Errorf("the app breaks its Content-Security-Policy: %v", v)
	}
	b.WaitOfflineReady()

	srv.Stop()
	for _, tc := range []struct{ name, path, heading string }{
		{"Home", "/", "Today"},
		{"DeepLink", "/visits/new", "New visit"},
		{"QueryString", "/?from=qr", "Today"},
		{"PatternRoute", "/tenancies/0192f0c4-7d1e-7cc0-8a11-3b5e0c2f4a9d", "Tenancy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := b.For(t)
			b.Restart()
			b.SetOffline(true)
			b.Open(srv.URL + tc.path)
			if got := b.Text("main h1"); got != tc.heading {
				t.Errorf("heading %q, want %q", got, tc.heading)
			}
			if got := e2e.Eval[string](b, "location.pathname + location.search"); got != tc.path {
				t.Errorf("the address became %q, want %q", got, tc.path)
			}
		})
	}
}

// TestNotFoundPage: a path that names no page still starts the app, which
// says so in words, and the server answers it with 404.
func TestNotFoundPage(t *testing.T) {
	e2e.RequireChromium(t)
	srv := e2e.StartServer(t)
	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	b.Open(srv.URL + "/no/such/page")
	if got := b.Text("main h1"); got != "Page not found" {
		t.Errorf("heading %q, want Page not found", got)
	}
}

// TestUpdatePrompt: after a release changes the assets, the running app
// offers the new version, and its Reload button brings it in.
func TestUpdatePrompt(t *testing.T) {
	e2e.RequireChromium(t)
	web := e2e.CopyWebDir(t)
	srv := e2e.StartServerWith(t, e2e.ServerConfig{WebDir: web})
	b := e2e.NewBrowser(t, e2e.BrowserOptions{Phone: true})
	b.Open(srv.URL + "/")
	b.WaitOfflineReady()
	time.Sleep(time.Second) // time for go-app to announce a version, wrongly
	if n := e2e.Eval[int](b, `document.querySelectorAll("#update-banner").length`); n != 0 {
		t.Fatal("the first visit announces a new version")
	}
	before := e2e.Eval[string](b, `caches.keys().then((k) => k.join(","))`)

	srv.Stop()
	releaseNewVersion(t, web)
	srv.Start()

	// What the UpdatePrompt's timer does every ten minutes.
	e2e.Eval[bool](b, `(goappTryUpdate(), true)`)
	banner := b.Text("#update-banner")
	if !strings.Contains(banner, "A new version of Doorstep is ready") {
		t.Fatalf("banner %q", banner)
	}
	after := e2e.Eval[string](b, `caches.keys().then((k) => k.join(","))`)
	if after == before || strings.Contains(after, ",") {
		t.Errorf("caches went from %q to %q: want the new version's cache only", before, after)
	}

	b.Do(chromedpClick("#update-banner button"))
	b.Do(e2e.WaitMounted())
	if n := e2e.Eval[int](b, `document.querySelectorAll("#update-banner").length`); n != 0 {
		t.Error("the banner is still there after reloading into the new version")
	}
}
