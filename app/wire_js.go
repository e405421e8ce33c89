//go:build js && wasm

package main

import (
	"cmp"
	"context"
	"fmt"

	"strings"
	"sync"
	"syscall/js"
	"time"

	"github.com/google/uuid"
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/app/idb"
	"doorstep/app/replica"
	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// This file is the officer's data wiring: it opens the replica over
// IndexedDB, runs sync in the background, handles the screens' actions
// (ui/capture_state.go) and publishes what they show as go-app state.

// wiring holds the replica and the latest mounted context to publish
// through. go-app runs each action handler on its own goroutine.
type wiring struct {
	rep      *replica.Replica
	ready    chan struct{} // closed once the replica is open
	openErr  error
	triggers chan string

	mu     sync.Mutex
	ctx    app.Context
	hasCtx bool
	seq    int
	asked  bool
	shown  shown // the visit and promise on screen, shown again after a sync
}

func wire() {
	w := &wiring{ready: make(chan struct{}), triggers: make(chan string, 16)}
	app.Handle(ui.ActionAttach, w.attach)
	app.Handle(ui.ActionSignIn, w.signIn)
	app.Handle(ui.ActionSignOut, w.signOut)
	app.Handle(ui.ActionSyncNow, func(app.Context, app.Action) { w.trigger(replica.TriggerManual) })
	app.Handle(ui.ActionExport, w.export)
	app.Handle(ui.ActionLoadHome, func(ctx app.Context, _ app.Action) { w.setCtx(ctx); w.publishHome() })
	app.Handle(ui.ActionSearch, w.search)
	app.Handle(ui.ActionOpenTenancy, w.openTenancy)
	app.Handle(ui.ActionOpenVisit, w.openVisit)
	app.Handle(ui.ActionOpenPromise, w.openPromise)
	app.Handle(ui.ActionSaveVisit, w.saveVisit)
	app.Handle(ui.ActionAct, w.act)
	app.Handle(ui.ActionShare, w.share)
	app.Handle(ui.ActionResend, w.resend)
	app.Handle(ui.ActionCorrect, w.correct)
	app.Handle(ui.ActionDismiss, w.dismiss)
	app.Handle(ui.ActionLoadSettings, w.loadSettings)
	handleReview(w)
	markTaps()
	go w.open()
}

// Account is who is signed in, for the supervisors' screens; nobody until
// the replica is open.
func (w *wiring) Account() (replica.Account, bool) {
	select {
	case <-w.ready:
	default:
		return replica.Account{}, false
	}
	if w.rep == nil {
		return replica.Account{}, false
	}
	return w.rep.Account()
}

// open opens the replica over IndexedDB and starts syncing. It starts with
// the wasm, while go-app draws the first page, so the officer's records are
// read by the time that page asks for them.
func (w *wiring) open() {
	mark("doorstep.open.start")
	store, err := idb.Open(context.Background(), "doorstep")
	if err == nil {
		w.rep = replica.New(store, fetchTransport{origin: origin()}, replica.Options{NewID: func() string { return uuid.Must(uuid.NewV7()).String() }, Lock: withLock})
		err = w.rep.Open(context.Background())
	}
	mark("doorstep.open.end")
	w.openErr = err
	close(w.ready)
	if err != nil {
		return
	}
	onEvent(js.Global(), "online", func() { w.trigger(replica.TriggerOnline) })
	onEvent(js.Global().Get("document"), "visibilitychange", func() {
		if visible() {
			w.trigger(replica.TriggerVisible)
		}
	})
	go w.rep.Run(context.Background(), w.triggers, w.afterSync)
}

// attach remembers the newest mounted page to publish through, and
// publishes everything to it once the replica is open.
func (w *wiring) attach(ctx app.Context, _ app.Action) {
	w.setCtx(ctx)
	<-w.ready
	if err := w.openErr; err != nil {
		w.publish(func(ctx app.Context) {
			ctx.SetState(ui.StateSync, ui.SyncState{LastError: "This phone cannot keep records: " + err.Error()})
		})
		return
	}
	w.publishAll()
}

func (w *wiring) afterSync() {
	w.publishAll()
	w.publishShown()
}

func (w *wiring) trigger(t string) {
	select {
	case w.triggers <- t:
	default: // a sync is already due
	}
}

func (w *wiring) setCtx(ctx app.Context) {
	w.mu.Lock()
	w.ctx, w.hasCtx = ctx, true
	w.mu.Unlock()
}

// publish runs f on the UI goroutine through the newest mounted page.
func (w *wiring) publish(f func(app.Context)) {
	w.mu.Lock()
	ctx, ok := w.ctx, w.hasCtx
	w.mu.Unlock()
	if ok {
		ctx.Dispatch(f)
	}
}

func (w *wiring) next() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seq++
	return w.seq
}

func (w *wiring) publishAll() {
	w.publishAccount()
	w.publishSync()
	w.publishReference()
	w.publishHome()
	w.publishAttention()
}

func (w *wiring) publishAccount() {
	a, ok := w.rep.Account()
	v := ui.Account{Known: true, SignedIn: ok, NeedsSignIn: a.NeedsSignIn, Officer: a.Officer, DeviceID: a.DeviceID, DeviceName: cmp.Or(a.DeviceName, deviceName())}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StateAccount, v) })
}

func (w *wiring) publishSync() {
	if w.rep == nil {
		return
	}
	s := w.rep.Status()
	v := ui.SyncState{Pending: s.Pending, Attention: s.Attention, Syncing: s.Syncing, LastSynced: s.LastSync,
		OldestPending: s.OldestPending, LastAttempt: s.LastAttempt, LastError: s.LastError, NeedsSignIn: s.NeedsSignIn}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StateSync, v) })
}

func (w *wiring) publishReference() {
	r := w.rep.Reference()
	v := ui.Reference{Sites: r.Sites, Functions: r.Functions, Officers: r.Officers, Standards: r.Standards}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StateReference, v) })
}

func (w *wiring) publishAttention() {
	var items []ui.AttentionItem
	for _, a := range w.rep.Attention() {
		item := ui.AttentionItem{ID: a.ID, Kind: a.Kind, RecordID: a.RecordID, Code: a.Code, Reason: a.Reason, At: a.ReceivedAt, Summary: summary(a.Kind), Data: a.Data}
		if c, err := w.rep.Commitment(a.RecordID); err == nil {
			item.What = c.What
		}
		items = append(items, item)
	}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StateAttention, items) })
}

func summary(kind string) string {
	switch kind {
	case housing.KindVisitRecord:
		return "A visit"
	case housing.KindCommitmentMake:
		return "A new promise"
	case housing.KindFeedbackGive:
		return "Feedback"
	}
	return "A change to a promise (" + strings.TrimPrefix(kind, "commitment.") + ")"
}

// today is the officer's local date, from the browser's clock and zone.
func today() housing.Date {
	d := app.Window().Get("Date").New()
	return housing.Date(fmt.Sprintf("%04d-%02d-%02d", d.Call("getFullYear").Int(), d.Call("getMonth").Int()+1, d.Call("getDate").Int()))
}

func (w *wiring) publishHome() {
	<-w.ready
	if w.openErr != nil {
		return
	}
	day := today()
	soon := housing.AddWorkingDays(day, housing.DueSoonDays)
	v := ui.HomeView{Today: day, Tenancy: map[string]housing.Tenancy{}}
	for _, visit := range w.rep.Visits("") {
		if housing.DateOf(visit.StartedAt.Local()) == day {
			v.Visits = append(v.Visits, visit)
			if t, err := w.rep.Tenancy(visit.TenancyID); err == nil {
				v.Tenancy[t.ID] = t
			}
		}
	}
	// A promise carries its household and address, so the lists need no
	// tenancy looked up (a lookup of a tenancy the phone does not hold reads
	// every promise).
	a, _ := w.rep.Account()
	for _, c := range w.rep.Commitments(replica.CommitmentFilter{DueBy: soon, OpenOnly: true}) {
		mine := c.MadeBy == a.Officer.ID || c.OwnerID == a.Officer.ID || contains(a.Officer.Functions, c.FunctionID)
		if !mine {
			continue
		}
		switch c.HomeList(day) {
		case housing.QueueOverdue:
			v.Overdue = append(v.Overdue, c)
		case housing.QueueBroken:
			v.Broken = append(v.Broken, c)
		case housing.QueueDueSoon:
			v.DueSoon = append(v.DueSoon, c)
		}
	}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StateHome, v) })
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (w *wiring) search(ctx app.Context, a app.Action) {
	w.setCtx(ctx)
	<-w.ready
	q, _ := a.Value.(string)
	found, held := w.rep.SearchTenancies(q, 50)
	v := ui.SearchView{Query: q, Results: found, Held: held}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StateSearch, v) })
}

func (w *wiring) openTenancy(ctx app.Context, a app.Action) {
	w.setCtx(ctx)
	<-w.ready
	id, _ := a.Value.(string)
	var v ui.TenancyView
	t, err := w.rep.Tenancy(id)
	if err != nil {
		v.Problem = housing.ErrorMessage(err)
	} else {
		v.Tenancy, v.Visits, v.Commitments = t, w.rep.Visits(id), w.rep.Commitments(replica.CommitmentFilter{TenancyID: id})
	}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StateTenancy, v) })
}

func (w *wiring) openVisit(ctx app.Context, a app.Action) {
	w.setCtx(ctx)
	<-w.ready
	id, _ := a.Value.(string)
	w.setShown(id, "")
	w.publishVisit(id)
}

func (w *wiring) publishVisit(id string) {
	var v ui.VisitView
	visit, err := w.rep.Visit(id)
	if err != nil {
		v.Problem = housing.ErrorMessage(err)
	} else {
		v.Visit = visit
		v.Tenancy, _ = w.rep.Tenancy(visit.TenancyID)
		v.Commitments = w.rep.Commitments(replica.CommitmentFilter{VisitID: id})
		v.Feedback = w.rep.Feedback(visit.TenancyID, id)
		v.Links, v.Pending = map[string]string{}, map[string]bool{visit.ID: w.rep.Pending(visit.ID)}
		for _, c := range v.Commitments {
			if c.Token != "" {
				v.Links[c.ID] = origin() + housing.TenantPath(c.Token)
			}
			v.Pending[c.ID] = w.rep.Pending(c.ID)
		}
	}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StateVisit, v) })
}

// saveVisit is the tap on Save: one durable write, then the answer. The
// performance marks let the benchmark read tap-to-durable time.
func (w *wiring) saveVisit(ctx app.Context, a app.Action) {
	w.setCtx(ctx)
	mark("doorstep.save.start")
	<-w.ready
	d, _ := a.Value.(ui.VisitDraft)
	res := ui.SaveResult{Seq: w.next()}
	visit := housing.Visit{TenancyID: d.TenancyID, Purpose: d.Purpose, Notes: d.Notes, StartedAt: d.StartedAt.UTC()}
	saved, err := w.rep.RecordVisit(context.Background(), visit, d.Commitments, d.Feedback)
	if err != nil {
		res.Problem, res.Field = housing.ErrorMessage(err), fieldOf(err, d)
	} else {
		res.ID = saved.ID
		measureSave()
		w.trigger(replica.TriggerSave)
	}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StateSaved, res) })
	w.publishSync()
	if err == nil {
		w.publishHome()
	}
}

// fieldOf guesses which form field an error concerns, so the form can put
// the message beside it and move focus there.
func fieldOf(err error, d ui.VisitDraft) string {
	msg := housing.ErrorMessage(err)
	var n int
	if _, scanErr := fmt.Sscanf(msg, "Promise %d:", &n); scanErr == nil && n >= 1 {
		field := "what"
		switch {
		case strings.Contains(msg, "date"):
			field = "due"
		case strings.Contains(msg, "team"):
			field = "function"
		case strings.Contains(msg, "time"):
			field = "time"
		}
		return fmt.Sprintf("commitment-%d-%s", n-1, field)
	}
	switch {
	case strings.Contains(msg, "tenancy"):
		return "tenancy"
	case strings.Contains(msg, "purpose"):
		return "purpose"
	case strings.Contains(msg, "Notes"):
		return "notes"
	case strings.Contains(msg, "feedback"), strings.Contains(msg, "question"), strings.Contains(msg, "complaint"), strings.Contains(msg, "comment"):
		return "feedback"
	}
	return ""
}

func (w *wiring) act(ctx app.Context, a app.Action) {
	w.setCtx(ctx)
	<-w.ready
	req, _ := a.Value.(ui.ActRequest)
	res := ui.SaveResult{Seq: w.next(), ID: req.CommitmentID}
	c, err := w.rep.Act(context.Background(), req.CommitmentID, req.Kind, req.Action)
	if err != nil {
		res.Problem = housing.ErrorMessage(err)
	} else {
		w.trigger(replica.TriggerSave)
	}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StateSaved, res) })
	w.publishSync()
	if c.VisitID != "" {
		w.publishVisit(c.VisitID)
	}
	w.publishPromise(req.CommitmentID)
}

func (w *wiring) signIn(ctx app.Context, a app.Action) {
	w.setCtx(ctx)
	<-w.ready
	f, _ := a.Value.(ui.SignInForm)
	res := ui.SignInResult{Seq: w.next()}
	if w.openErr != nil {
		res.Problem = "This phone cannot keep records: " + w.openErr.Error()
	} else if _, err := w.rep.SignIn(context.Background(), f.Username, f.Password, cmp.Or(strings.TrimSpace(f.DeviceName), deviceName())); err != nil {
		res.Problem = housing.ErrorMessage(err)
	} else {
		res.Done = true
		w.trigger(replica.TriggerManual)
		w.mu.Lock()
		ask := !w.asked
		w.asked = true
		w.mu.Unlock()
		if ask {
			persistStorage(true, func(bool, bool) {}) // asked once, at the first sign-in; the settings page shows the answer
		}
	}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StateSignIn, res) })
	w.publishAll()
}

func (w *wiring) signOut(ctx app.Context, a app.Action) {
	w.setCtx(ctx)
	<-w.ready
	force, _ := a.Value.(bool)
	res := ui.SignInResult{Seq: w.next()}
	if err := w.rep.SignOut(context.Background(), force); err != nil {
		res.Problem = housing.ErrorMessage(err)
	} else {
		res.Done = true
	}
	w.publish(func(ctx app.Context) { ctx.SetState(ui.StateSignIn, res) })
	w.publishAll()
}

func (w *wiring) export(ctx app.Context, _ app.Action) {
	<-w.ready
	data, err := w.rep.ExportUnsynced()
	if err != nil {
		return
	}
	download("doorstep-unsynced-"+time.Now().Format("2006-01-02-1504")+".json", "application/json", data)
}

func (w *wiring) resend(ctx app.Context, a app.Action) {
	<-w.ready
	id, _ := a.Value.(string)
	w.rep.Resend(context.Background(), id)
	w.trigger(replica.TriggerSave)
	w.publishAttention()
	w.publishSync()
}

func (w *wiring) dismiss(ctx app.Context, a app.Action) {
	<-w.ready
	id, _ := a.Value.(string)
	w.rep.Dismiss(context.Background(), id)
	w.publishAttention()
	w.publishSync()
}

func (w *wiring) loadSettings(ctx app.Context, _ app.Action) {
	w.setCtx(ctx)
	w.mu.Lock()
	asked := w.asked
	w.mu.Unlock()
	persistStorage(false, func(persisted, supported bool) {
		v := ui.StorageView{Persisted: persisted, Asked: asked || persisted, Supported: supported, SchemaVersion: replica.SchemaVersion}
		w.publish(func(ctx app.Context) { ctx.SetState(ui.StateStorage, v) })
	})
}
