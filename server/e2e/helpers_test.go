package e2e_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"doorstep/server/demo"
	"doorstep/server/sqlite"
)

// openDemoLandlord opens the database in the data folder dir with the demo
// landlord seeded (if it was not already), for a test to prepare before the
// server starts on it. The caller closes it.
func openDemoLandlord(tb testing.TB, dir string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := demo.Seed(context.Background(), db); err != nil {
		db.Close()
		tb.Fatal(err)
	}
	return db
}

// releaseNewVersion changes a served file, as a release would, so the
// server's version hash changes.
func releaseNewVersion(t *testing.T, webDir string) {
	t.Helper()
	css := filepath.Join(webDir, "app.css")
	b, err := os.ReadFile(css)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(css, append(b, "\n/* next release */\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
}

func chromedpClick(selector string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(selector))
}
