package e2e

import (
	"os"
	"os/exec"
	"testing"
)

// ChromiumPath returns the Chromium (or Chrome) to drive: $DOORSTEP_CHROMIUM
// if set, else the first of chromium, chromium-browser, google-chrome and
// google-chrome-stable on the PATH, else "".
func ChromiumPath() string {
	if p := os.Getenv("DOORSTEP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// RequireChromium returns ChromiumPath, or ends the test when there is none:
// it fails under CI=true, where a skipped browser test would hide a broken
// build, and skips otherwise.
func RequireChromium(t testing.TB) string {
	t.Helper()
	p := ChromiumPath()
	if p != "" {
		return p
	}
	const why = "Chromium is not installed (apt-get install chromium, or set DOORSTEP_CHROMIUM)"
	if os.Getenv("CI") == "true" {
		t.Fatal("browser test needs a browser under CI=true: " + why)
	}
	t.Skip("browser test skipped: " + why)
	return ""
}
