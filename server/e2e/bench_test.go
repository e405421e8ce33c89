package e2e_test

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"doorstep/server/demo"
	"doorstep/server/e2e"
	"doorstep/shared/housing"
)

// The phone's budgets (README.md), measured in a real headless Chromium
// against the real server, offline: saving a visit (tap → durable in
// IndexedDB) and a cold start to a usable screen. The times are read from
// the page's own clock (performance marks and measures), so the polling
// that chromedp needs adds nothing to them.
//
// Run them with `make bench`, or:
//
//	go test ./server/e2e -run '^$' -bench 'SaveVisit|ColdStartOffline' -benchtime 20x

// benchSaveTimes is the latest save as the wiring measured it, in
// milliseconds: "doorstep.save" from the tap on Save (the wiring marks every
// form submission as it happens) and "doorstep.save.wiring" from its action
// handler, both to the end of the IndexedDB transaction. ok is false until
// the latest measure belongs to the latest tap.
const benchSaveTimes = `(() => {
	const taps = performance.getEntriesByName("doorstep.tap");
	const saves = performance.getEntriesByName("doorstep.save");
	const wiring = performance.getEntriesByName("doorstep.save.wiring");
	if (!taps.length || !saves.length || !wiring.length) return {ok: false};
	const tap = taps[taps.length - 1], save = saves[saves.length - 1];
	if (save.startTime !== tap.startTime) return {ok: false};
	return {ok: true, tap: save.duration, wiring: wiring[wiring.length - 1].duration};
})()`

// benchSave is what benchSaveTimes answers.
type benchSave struct {
	OK     bool    `json:"ok"`
	Tap    float64 `json:"tap"`
	Wiring float64 `json:"wiring"`
}

// BenchmarkSaveVisit saves a visit with two promises and the tenant's
// feedback, offline, b.N times, and reports the median time from the tap on
// Save to the records being durable in IndexedDB (budget: 50 ms).
func BenchmarkSaveVisit(b *testing.B) {
	e2e.RequireChromium(b)
	srv := e2e.StartServer(b)
	br := e2e.NewBrowser(b, e2e.BrowserOptions{Phone: true})
	signinOnline(b, br, srv.URL, "sarah")
	br.SetOffline(true)
	br.Restart()

	form := srv.URL + "/visits/new?tenancy=" + demo.TenancyID("RIV-00003")
	today := housing.DateOf(time.Now())
	var fromTap, inWiring []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		br.Open(form)
		benchFillVisit(b, br, i, today)
		b.StartTimer()
		br.Do(chromedpClick("#save"))
		signinWait(b, br, `location.pathname !== "/visits/new"`, "the visit summary")
		b.StopTimer()
		var got benchSave
		for deadline := time.Now().Add(e2e.StepTimeout); ; time.Sleep(50 * time.Millisecond) {
			if got = e2e.Eval[benchSave](br, benchSaveTimes); got.OK {
				break
			}
			if time.Now().After(deadline) {
				b.Fatal("the wiring recorded no doorstep.save measure after the tap")
			}
		}
		fromTap = append(fromTap, got.Tap)
		inWiring = append(inWiring, got.Wiring)
	}
	// Each save is four records: the visit, two promises and the feedback.
	if got, want := signinBadge(br), strconv.Itoa(4*b.N)+" to sync"; !strings.HasPrefix(got, want) {
		b.Errorf("badge %q after %d saves, want %s", got, b.N, want)
	}
	b.ReportMetric(benchMedian(fromTap), "ms/save-median")
	b.ReportMetric(benchPercentile(fromTap, 0.95), "ms/save-p95")
	b.ReportMetric(benchMedian(inWiring), "ms/save-wiring-median")
}

// benchFillVisit fills the visit form as an officer would: purpose, notes,
// two promises with realistic dates, and one answer of feedback.
func benchFillVisit(tb testing.TB, br *e2e.Browser, i int, today housing.Date) {
	tb.Helper()
	signinWait(tb, br, `!!document.querySelector("#purpose-welfare_check") && !!document.querySelector(".chosen-tenancy")`, "the visit form with its tenancy")
	br.Do(chromedpClick("#purpose-welfare_check"))
	signinFill(tb, br, "#notes", "Benchmark visit "+strconv.Itoa(i)+": kitchen tap drips, rent queried.")
	br.Do(chromedpClick("#add-promise"))
	signinFill(tb, br, "#commitment-0-what", "Fix the dripping kitchen tap")
	signinFill(tb, br, "#commitment-0-function", housing.FunctionRepairs)
	signinWait(tb, br, `!!document.querySelector("#commitment-0-standard")`, "the kinds of repair promise")
	signinFill(tb, br, "#commitment-0-standard", "repairs.routine")
	signinFill(tb, br, "#commitment-0-due", string(housing.AddWorkingDays(today, 10)))
	br.Do(chromedpClick("#add-promise"))
	signinFill(tb, br, "#commitment-1-what", "Call back about the rent account")
	signinFill(tb, br, "#commitment-1-function", housing.FunctionIncome)
	signinWait(tb, br, `!!document.querySelector("#commitment-1-standard")`, "the kinds of income promise")
	signinFill(tb, br, "#commitment-1-standard", "income.callback")
	signinFill(tb, br, "#commitment-1-due", string(housing.AddWorkingDays(today, 3)))
	br.Do(chromedpClick("#q-TP01-very_satisfied"))
}

// benchUsableScript records, in the page about to load, the moment the app
// is usable: the wasm has mounted the page and the officer's state has come
// out of IndexedDB: the header shows the last sync, not "Not synced yet",
// and the home page's lists hold the officer's day (data-loaded).
const benchUsableScript = `(() => {
	const usable = () => {
		const badge = document.querySelector(".sync-badge");
		return !!document.querySelector('main[data-mounted="true"]') && !!badge && badge.textContent.startsWith("Synced") &&
			!!document.querySelector('[data-loaded="true"]');
	};
	const check = () => {
		if (window.__mountedAt === undefined && document.querySelector('main[data-mounted="true"]')) window.__mountedAt = performance.now();
		if (window.__usableAt === undefined && usable()) window.__usableAt = performance.now();
	};
	new MutationObserver(check).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
})();`

// BenchmarkColdStartOffline closes and reopens the browser b.N times with
// no network and reports the median time from navigation to a usable home
// screen (budget: 1.5 s).
func BenchmarkColdStartOffline(b *testing.B) {
	e2e.RequireChromium(b)
	srv := e2e.StartServer(b)
	br := e2e.NewBrowser(b, e2e.BrowserOptions{Phone: true})
	signinOnline(b, br, srv.URL, "sarah")
	br.SetOffline(true)

	var starts, mounts []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		br.Restart()
		br.Do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, cdppage.AddScriptToEvaluateOnNewDocument,
				cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: benchUsableScript})
			return err
		}))
		b.StartTimer()
		br.Open(srv.URL + "/")
		signinWait(b, br, `window.__usableAt !== undefined`, "a usable home screen")
		b.StopTimer()
		starts = append(starts, e2e.Eval[float64](br, `window.__usableAt`))
		mounts = append(mounts, e2e.Eval[float64](br, `window.__mountedAt`))
	}
	b.ReportMetric(benchMedian(starts), "ms/start-median")
	b.ReportMetric(benchPercentile(starts, 0.95), "ms/start-p95")
	// The wasm's first page, before the officer's state is read from
	// IndexedDB: the rest of a start is the replica loading.
	b.ReportMetric(benchMedian(mounts), "ms/mount-median")
}

// benchMedian is the middle of xs (the mean of the two middles for an even
// count).
func benchMedian(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// benchPercentile is the nearest-rank p-th percentile of xs, p in (0, 1].
func benchPercentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(p*float64(len(s))+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}
