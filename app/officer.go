package main

import (
	"cmp"
	"context"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/app/replica"
	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// officer handles the officer's actions (ui/contract.go) over the records
// kept on the phone: it opens the replica, keeps it syncing, and publishes
// what the screens show.
//
// Each action has a plain method that takes and returns plain values (the
// logic, tested natively) and a handle method, the go-app adapter, which
// publishes the results through the context go-app gave it. go-app runs
// every handler registered with app.Handle on its own goroutine, with a
// context whose element is the page's <body>, mounted for as long as the
// app runs; and state is app-global: SetState, through any context, stores
// the value and notifies every observer through the observer's own
// element (go-app v10 pkg/app/state.go, stateManager.Set). So a context
// kept after its handler returned still publishes: handleAttach's runs the
// sync loop and publishes each sync's results, and no update is lost when
// the page that raised the action has gone.
type officer struct {
	browser  browser
	triggers chan string // wakes the sync loop (replica.Run)

	ready   chan struct{}    // closed once open has finished
	rep     *replica.Replica // the officer's records; nil when the phone cannot keep any
	openErr error            // why it cannot
	syncing sync.Once        // starts the sync loop, at the first attach

	mu    sync.Mutex
	seq   int   // numbers the answers, so a repeat is seen as new
	asked bool  // persistent storage has been asked for
	shown shown // what is on screen, published again after a sync
	// homeMore is how many more than homePage each of home's lists shows,
	// by list (ui.HomeOverdue...), as the officer asked.
	homeMore map[string]int
}

func newOfficer(b browser) *officer {
	return &officer{browser: b, triggers: make(chan string, 16), ready: make(chan struct{})}
}

// open opens the officer's replica, made by open over its store, and makes
// the handlers ready. main runs it as the wasm starts, while go-app draws
// the first page, so the officer's records are read by the time that page
// asks for them. The marks time it for the benchmarks.
func (o *officer) open(ctx context.Context, open func(context.Context) (*replica.Replica, error)) {
	o.browser.mark("doorstep.open.start")
	rep, err := open(ctx)
	if err == nil {
		err = rep.Open(ctx)
	}
	o.browser.mark("doorstep.open.end")
	if err == nil {
		o.rep = rep
	}
	o.openErr = err
	close(o.ready)
}

// opened waits for open and reports whether the phone keeps records. The
// handlers that read or write records do nothing on a phone that cannot:
// attach has said why.
func (o *officer) opened() bool {
	<-o.ready
	return o.rep != nil
}

// cannotKeep says why the phone keeps no records.
func (o *officer) cannotKeep() string {
	return "This phone cannot keep records: " + o.openErr.Error()
}

// signedIn is who is signed in on this phone, for the supervisor's reads;
// nobody until the replica is open.
func (o *officer) signedIn() (replica.Account, bool) {
	select {
	case <-o.ready:
	default:
		return replica.Account{}, false
	}
	if o.rep == nil {
		return replica.Account{}, false
	}
	return o.rep.Account()
}

// trigger wakes the sync loop, unless a sync is already due.
func (o *officer) trigger(t string) {
	select {
	case o.triggers <- t:
	default:
	}
}

func (o *officer) next() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.seq++
	return o.seq
}

// today is the officer's date, from the phone's clock in the landlord's
// time: the one "today" of the wiring.
func (o *officer) today() housing.Date { return housing.LocalDate(o.browser.now()) }

// handleAttach answers every page's Shell as it mounts: it publishes
// everything the screens show and, the first time, starts the sync loop,
// which publishes again after every attempt through this handler's context
// (see officer).
func (o *officer) handleAttach(ctx app.Context, _ app.Action) {
	if !o.opened() {
		ctx.SetState(ui.StateSync, ui.SyncState{LastError: o.cannotKeep()})
		return
	}
	o.syncing.Do(func() {
		ctx.Async(func() {
			o.rep.Run(ctx, o.triggers, func() {
				o.publishAll(ctx)
				o.publishShown(ctx)
			})
		})
	})
	o.publishAll(ctx)
}

// publishAll publishes what every page may show: the account, sync, the
// landlord's lists, the officer's day and the refused changes.
func (o *officer) publishAll(ctx app.Context) {
	ctx.SetState(ui.StateAccount, o.account())
	ctx.SetState(ui.StateSync, o.syncState())
	ctx.SetState(ui.StateReference, o.reference())
	ctx.SetState(ui.StateHome, o.home())
	ctx.SetState(ui.StateAttention, o.attention())
}

func (o *officer) account() ui.Account {
	a, ok := o.rep.Account()
	return ui.Account{Known: true, SignedIn: ok, NeedsSignIn: a.NeedsSignIn, Officer: a.Officer, DeviceID: a.DeviceID,
		DeviceName: cmp.Or(a.DeviceName, o.browser.deviceName())}
}

func (o *officer) syncState() ui.SyncState {
	s := o.rep.Status()
	return ui.SyncState{Pending: s.Pending, Attention: s.Attention, Syncing: s.Syncing, LastSynced: s.LastSync,
		OldestPending: s.OldestPending, LastAttempt: s.LastAttempt, LastError: s.LastError, NeedsSignIn: s.NeedsSignIn}
}

func (o *officer) reference() ui.Reference {
	r := o.rep.Reference()
	return ui.Reference{Sites: r.Sites, Functions: r.Functions, Officers: r.Officers, Standards: r.Standards}
}

// signIn signs the phone in. askStorage is set at the first sign-in: the
// browser is then asked to keep the app's data (the settings page shows
// the answer).
func (o *officer) signIn(ctx context.Context, f ui.SignInForm) (res ui.SignInResult, askStorage bool) {
	res.Seq = o.next()
	if !o.opened() {
		res.Problem = o.cannotKeep()
		return res, false
	}
	name := cmp.Or(strings.TrimSpace(f.DeviceName), o.browser.deviceName())
	if _, err := o.rep.SignIn(ctx, f.Username, f.Password, name); err != nil {
		res.Problem = housing.ErrorMessage(err)
		return res, false
	}
	res.Done = true
	o.trigger(replica.TriggerManual)
	o.mu.Lock()
	defer o.mu.Unlock()
	askStorage, o.asked = !o.asked, true
	return res, askStorage
}

func (o *officer) handleSignIn(ctx app.Context, a app.Action) {
	f, _ := a.Value.(ui.SignInForm)
	res, ask := o.signIn(ctx, f)
	if ask {
		// Not waited for: a browser may wait for the officer to answer.
		ctx.Async(func() { o.browser.storage(true) })
	}
	ctx.SetState(ui.StateSignIn, res)
	if o.opened() {
		o.publishAll(ctx)
	}
}

// signOut signs the phone out; with unsynced records only when force is
// set, after an export.
func (o *officer) signOut(ctx context.Context, force bool) ui.SignInResult {
	res := ui.SignInResult{Seq: o.next()}
	if err := o.rep.SignOut(ctx, force); err != nil {
		res.Problem = housing.ErrorMessage(err)
	} else {
		res.Done = true
	}
	return res
}

func (o *officer) handleSignOut(ctx app.Context, a app.Action) {
	if !o.opened() {
		return
	}
	force, _ := a.Value.(bool)
	ctx.SetState(ui.StateSignIn, o.signOut(ctx, force))
	o.publishAll(ctx)
}

func (o *officer) handleSyncNow(app.Context, app.Action) { o.trigger(replica.TriggerManual) }

// exportUnsynced returns the records not yet on the server, as a file to
// keep, and its name.
func (o *officer) exportUnsynced() (name string, data []byte, err error) {
	data, err = o.rep.ExportUnsynced()
	return "doorstep-unsynced-" + o.browser.now().Format("2006-01-02-1504") + ".json", data, err
}

func (o *officer) handleExport(ctx app.Context, _ app.Action) {
	if !o.opened() {
		return
	}
	if name, data, err := o.exportUnsynced(); err == nil {
		o.browser.download(name, "application/json", data)
	}
}

// storage is the settings page's facts about this phone's storage.
func (o *officer) storage() ui.StorageView {
	persisted, supported := o.browser.storage(false)
	o.mu.Lock()
	defer o.mu.Unlock()
	return ui.StorageView{Persisted: persisted, Asked: o.asked || persisted, Supported: supported, SchemaVersion: replica.SchemaVersion}
}

func (o *officer) handleLoadSettings(ctx app.Context, _ app.Action) {
	ctx.SetState(ui.StateStorage, o.storage())
}
