package e2e_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

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
