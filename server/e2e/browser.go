package e2e

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// MountedSelector matches what only the running wasm renders: the Shell sets
// data-mounted on <main> in OnMount, which never runs on the server.
const MountedSelector = `main[data-mounted="true"]`

// StepTimeout bounds each Browser step (Open, Do, Eval...), so a broken app
// fails its test instead of hanging it.
const StepTimeout = 30 * time.Second

// BrowserOptions configure NewBrowser.
type BrowserOptions struct {
	// Phone emulates a small Android phone: 360×740 CSS pixels at 3× with
	// touch, the size Doorstep is designed for.
	Phone bool
	// UserDataDir is the Chromium profile. Default: a fresh temporary one.
	UserDataDir string
}

// Browser is a headless Chromium with one tab. Its profile (service worker,
// caches, IndexedDB) survives Restart, as a phone's does when the browser is
// closed and opened again.
type Browser struct {
	t testing.TB
	*browser
}

// browser is the state that Browser values made by For share.
type browser struct {
	mu          sync.Mutex
	path        string
	opts        BrowserOptions
	allocCancel context.CancelFunc
	tabCancel   context.CancelFunc
	ctx         context.Context
	offline     bool
}

// NewBrowser starts Chromium with the flags GO-APP-NOTES.md lists and a
// fresh profile, opens a tab, and closes it all when the test ends. It skips
// or fails the test as RequireChromium does when there is no Chromium.
func NewBrowser(t testing.TB, opts BrowserOptions) *Browser {
	t.Helper()
	path := RequireChromium(t)
	if opts.UserDataDir == "" {
		opts.UserDataDir = t.TempDir()
	}
	b := &Browser{t: t, browser: &browser{path: path, opts: opts}}
	b.start()
	t.Cleanup(b.close)
	return b
}

// For returns b reporting to another test, such as a subtest.
func (b *Browser) For(t testing.TB) *Browser { return &Browser{t: t, browser: b.browser} }

// Ctx is the tab's chromedp context, for chromedp calls the helpers lack.
func (b *Browser) Ctx() context.Context {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ctx
}

// UserDataDir is the profile folder.
func (b *Browser) UserDataDir() string { return b.opts.UserDataDir }

func (b *Browser) start() {
	b.t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(b.path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(b.opts.UserDataDir),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, tabCancel := chromedp.NewContext(allocCtx)
	b.mu.Lock()
	b.allocCancel, b.tabCancel, b.ctx = allocCancel, tabCancel, ctx
	b.mu.Unlock()
	// The first run starts Chromium and opens the tab, which live as long as
	// the context it is given: this one, not a step's timeout.
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("e2e: start Chromium: %v", err)
	}

	steps := []chromedp.Action[chromedp.Void]{recordCSPViolations()}
	if b.opts.Phone {
		steps = append(steps, chromedp.EmulateViewport(360, 740,
			chromedp.EmulateScale(3), chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
	}
	if b.offline {
		steps = append(steps, networkOffline(true))
	}
	b.Do(steps...)
}

func (b *browser) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tabCancel != nil {
		b.tabCancel()
		b.allocCancel()
		b.tabCancel, b.allocCancel = nil, nil
	}
}

// Restart closes Chromium and starts it again over the same profile: the
// next Open is a cold start, with nothing in memory. Offline stays as set.
func (b *Browser) Restart() {
	b.t.Helper()
	b.close()
	b.start()
}

// Do runs chromedp steps in the tab, failing the test on an error or after
// StepTimeout.
func (b *Browser) Do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx(), StepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("e2e: browser: %v", err)
	}
}

// Open navigates the tab to url and waits until the wasm has mounted.
func (b *Browser) Open(url string) {
	b.t.Helper()
	b.Do(chromedp.Navigate(url), WaitMounted())
}

// WaitMounted waits until the running wasm has mounted a page.
func WaitMounted() chromedp.Action[chromedp.Void] {
	return chromedp.WaitReady(chromedp.CSS(MountedSelector))
}

// Eval evaluates a JavaScript expression in the tab, awaiting it if it is a
// promise, and returns its value as a T.
func Eval[T any](b *Browser, expression string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx(), StepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expression, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("e2e: evaluate %s: %v", expression, err)
	}
	return v
}

// Text returns the text of the first element matching a CSS selector,
// waiting for it to appear.
func (b *Browser) Text(selector string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx(), StepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		b.t.Fatalf("e2e: text of %s: %v", selector, err)
	}
	return s
}

// SetOffline cuts the tab off the network, or reconnects it, through CDP:
// every request fails as it would with no signal, including those of the
// service worker, and navigator.onLine follows. The setting survives Restart.
func (b *Browser) SetOffline(offline bool) {
	b.t.Helper()
	b.mu.Lock()
	b.offline = offline
	b.mu.Unlock()
	b.Do(networkOffline(offline))
}

func networkOffline(offline bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return fmt.Errorf("enable network: %w", err)
		}
		var conditions []*network.Conditions
		if offline {
			conditions = []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}
		}
		if _, err := cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: new(offline),
			MatchedNetworkConditions:    conditions,
		}); err != nil {
			return fmt.Errorf("emulate network conditions: %w", err)
		}
		_, err := cdp.Call(ctx, t, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: offline, DownloadThroughput: -1, UploadThroughput: -1,
		})
		return err
	})
}

// WaitOfflineReady waits until the service worker is active and its cache
// holds the app (app.wasm and the shell "/"), so the app will start with no
// network. (On a first visit the worker does not take over the open page;
// it serves every page opened after it.)
func (b *Browser) WaitOfflineReady() {
	b.t.Helper()
	const ready = `(async () => {
		if (!navigator.serviceWorker) return false;
		const reg = await navigator.serviceWorker.getRegistration();
		if (!reg || !reg.active || reg.active.state !== "activated") return false;
		for (const key of await caches.keys()) {
			const cache = await caches.open(key);
			if (await cache.match("/web/app.wasm") && await cache.match("/")) return true;
		}
		return false;
	})()`
	deadline := time.Now().Add(StepTimeout)
	for !Eval[bool](b, ready) {
		if time.Now().After(deadline) {
			b.t.Fatalf("e2e: no service worker with the app cached after %v", StepTimeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// recordCSPViolations makes every page keep the Content-Security-Policy
// violations it meets, for CSPViolations to read.
func recordCSPViolations() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `window.__cspViolations = []; window.__consoleErrors = [];
(() => { const f = console.error.bind(console); console.error = (...a) => { window.__consoleErrors.push(a.map(String).join(" ")); f(...a); }; })();
document.addEventListener("securitypolicyviolation", (e) => {
	window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline code"));
});`,
		})
		return err
	})
}

// ConsoleErrors returns what the current page has written to console.error
// since it loaded (a Go panic in the wasm ends up there).
func (b *Browser) ConsoleErrors() []string {
	b.t.Helper()
	return Eval[[]string](b, `window.__consoleErrors || []`)
}

// CSPViolations returns the Content-Security-Policy violations the current
// page has met since it loaded.
func (b *Browser) CSPViolations() []string {
	b.t.Helper()
	return Eval[[]string](b, `window.__cspViolations || []`)
}

// Screenshot saves a PNG of the tab to path, for looking at a failure.
func (b *Browser) Screenshot(path string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx(), StepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("e2e: screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}
