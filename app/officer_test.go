package main

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"doorstep/app/replica"
	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// draft is a visit as the form sends it: one tenancy management promise
// due in five working days.
func (to *testOfficer) draft() ui.VisitDraft {
	return ui.VisitDraft{TenancyID: "t1", Purpose: housing.PurposeWelfareCheck, Notes: "Kitchen tap drips.", StartedAt: to.b.at,
		Commitments: []housing.Commitment{{What: "Call about the damp", FunctionID: housing.FunctionTenancy,
			DueDate: housing.AddWorkingDays(to.today(), 5)}}}
}

func TestOfficerSaveVisit(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		to := newTestOfficer(t)
		res := to.saveVisit(ctx, to.draft())
		if res.Problem != "" || res.ID == "" || res.Seq == 0 {
			t.Fatalf("got %+v, want the saved visit's ID", res)
		}
		if got := to.syncState().Pending; got != 2 {
			t.Errorf("got %d to sync, want 2: the visit and its promise", got)
		}
		if to.b.measured != 1 {
			t.Errorf("got %d saves measured, want 1", to.b.measured)
		}
		if got := to.drainTriggers(); !slices.Equal(got, []string{replica.TriggerSave}) {
			t.Errorf("got triggers %q, want one save", got)
		}
		home := to.home()
		if len(home.Visits) != 1 || home.Visits[0].ID != res.ID || home.Tenancy["t1"].Reference != "RIV-00001" {
			t.Errorf("got the day %+v, want the visit at RIV-00001 listed", home)
		}
		if len(home.DueSoon) != 1 || home.DueSoon[0].What != "Call about the damp" {
			t.Errorf("got due soon %+v, want the new promise", home.DueSoon)
		}
	})
	t.Run("Refused", func(t *testing.T) {
		to := newTestOfficer(t)
		d := to.draft()
		d.Commitments[0].What = ""
		res := to.saveVisit(ctx, d)
		// The replica's own answer to the same draft, which writes nothing.
		_, err := to.rep.RecordVisit(ctx, housing.Visit{TenancyID: d.TenancyID, Purpose: d.Purpose, Notes: d.Notes, StartedAt: d.StartedAt.UTC()}, d.Commitments, d.Feedback)
		if err == nil {
			t.Fatal("the replica saved a promise that says nothing")
		}
		if res.ID != "" || res.Problem == "" || res.Problem != housing.ErrorMessage(err) || res.Field != housing.ErrorField(err) {
			t.Errorf("got %+v, want the replica's problem %q on field %q", res, housing.ErrorMessage(err), housing.ErrorField(err))
		}
		if got := to.syncState().Pending; got != 0 {
			t.Errorf("got %d to sync after a refused save, want 0", got)
		}
		if to.b.measured != 0 || len(to.drainTriggers()) != 0 {
			t.Error("a refused save was measured or woke the sync loop")
		}
	})
	t.Run("FieldComesFromTheError", func(t *testing.T) {
		// The words would once have been read as the first promise's date;
		// the field the error carries is what counts.
		to := newTestOfficer(t)
		to.store.err = &housing.Error{Code: housing.CodeInvalid, Message: "Promise 1: the date and team are wrong", Field: "feedback.comment"}
		res := to.saveVisit(ctx, to.draft())
		if res.Field != "feedback.comment" || res.Problem != "Promise 1: the date and team are wrong" {
			t.Errorf("got %+v, want the error's own field and message", res)
		}
	})
	t.Run("PhoneCannotKeepRecords", func(t *testing.T) {
		o := newOfficer(&fakeBrowser{at: time.Now()})
		o.open(ctx, func(context.Context) (*replica.Replica, error) { return nil, errors.New("IndexedDB is disabled") })
		res := o.saveVisit(ctx, ui.VisitDraft{})
		if want := "This phone cannot keep records: IndexedDB is disabled"; res.Problem != want {
			t.Errorf("got %q, want %q", res.Problem, want)
		}
	})
}

// TestOfficerHomeShowsAScreenful checks that home's lists hold their first
// page with the count of all, and that asking for more shows the next page.
func TestOfficerHomeShowsAScreenful(t *testing.T) {
	ctx := context.Background()
	to := newTestOfficer(t)
	d := to.draft()
	for len(d.Commitments) < homePage+5 {
		c := d.Commitments[0]
		c.What = "Call about the damp, again " + strings.Repeat("!", len(d.Commitments))
		d.Commitments = append(d.Commitments, c)
	}
	if res := to.saveVisit(ctx, d); res.Problem != "" {
		t.Fatalf("save %d promises: %s", len(d.Commitments), res.Problem)
	}
	home := to.home()
	if len(home.DueSoon) != homePage || home.DueSoonCount != homePage+5 {
		t.Fatalf("got %d of %d due soon, want the first %d of %d", len(home.DueSoon), home.DueSoonCount, homePage, homePage+5)
	}
	if to.showMore("everything") {
		t.Error("showMore took a list home does not have")
	}
	if !to.showMore(ui.HomeDueSoon) {
		t.Fatal("showMore refused the due-soon list")
	}
	home = to.home()
	if len(home.DueSoon) != homePage+5 || home.DueSoonCount != homePage+5 || home.OverdueCount != 0 {
		t.Errorf("got %d of %d due soon and %d overdue after one more page, want all %d and none overdue", len(home.DueSoon), home.DueSoonCount, home.OverdueCount, homePage+5)
	}
}

func TestOfficerAct(t *testing.T) {
	ctx := context.Background()
	to := newTestOfficer(t)
	saved := to.saveVisit(ctx, to.draft())
	promise := to.visit(saved.ID).Commitments[0]
	to.drainTriggers()

	t.Run("OK", func(t *testing.T) {
		res, visitID := to.act(ctx, ui.ActRequest{CommitmentID: promise.ID, Kind: housing.KindCommitmentAcknowledge})
		if res.Problem != "" || res.ID != promise.ID || visitID != saved.ID {
			t.Fatalf("got %+v at visit %q, want the promise acknowledged at visit %s", res, visitID, saved.ID)
		}
		v := to.promise(promise.ID)
		if v.Commitment.Status != housing.StatusAcknowledged || !v.Pending {
			t.Errorf("got %s, pending %v; want acknowledged, waiting to sync", v.Commitment.Status, v.Pending)
		}
		if !strings.HasPrefix(v.Link, "https://doorstep.test/") {
			t.Errorf("got the tenant link %q, want one on the page's origin", v.Link)
		}
		if got := to.drainTriggers(); !slices.Equal(got, []string{replica.TriggerSave}) {
			t.Errorf("got triggers %q, want one save", got)
		}
	})
	t.Run("Refused", func(t *testing.T) {
		before := to.syncState().Pending
		res, _ := to.act(ctx, ui.ActRequest{CommitmentID: promise.ID, Kind: housing.KindCommitmentCancel})
		if res.Problem == "" || res.ID != promise.ID {
			t.Errorf("got %+v, want a cancellation with no reason refused", res)
		}
		if got := to.syncState().Pending; got != before {
			t.Errorf("got %d to sync, want %d: a refused action writes nothing", got, before)
		}
	})
	t.Run("NotOnThePhone", func(t *testing.T) {
		res, visitID := to.act(ctx, ui.ActRequest{CommitmentID: "nowhere", Kind: housing.KindCommitmentAcknowledge})
		if res.Problem != "That promise is not on this phone." || visitID != "" {
			t.Errorf("got %+v at visit %q", res, visitID)
		}
	})
}

// refusedPromise saves a visit whose promise the server refuses, syncs,
// and returns the item on the sync page.
func (to *testOfficer) refusedPromise(t *testing.T) ui.AttentionItem {
	t.Helper()
	to.srv.refuse[housing.KindCommitmentMake] = true
	if res := to.saveVisit(context.Background(), to.draft()); res.Problem != "" {
		t.Fatal(res.Problem)
	}
	to.sync(t)
	to.srv.refuse[housing.KindCommitmentMake] = false
	to.drainTriggers()
	items := to.attention()
	if len(items) != 1 || items[0].Kind != housing.KindCommitmentMake || items[0].Summary != "A new promise" || items[0].What != "Call about the damp" {
		t.Fatalf("got %+v, want the refused promise", items)
	}
	return items[0]
}

func TestOfficerResend(t *testing.T) {
	ctx := context.Background()
	to := newTestOfficer(t)
	item := to.refusedPromise(t)
	if err := to.resend(ctx, item.ID); err != nil {
		t.Fatal(err)
	}
	if got := to.attention(); len(got) != 0 {
		t.Errorf("got %+v on the sync page, want nothing after the resend", got)
	}
	if got := to.syncState().Pending; got != 1 {
		t.Errorf("got %d to sync, want the promise again", got)
	}
	if got := to.drainTriggers(); !slices.Equal(got, []string{replica.TriggerSave}) {
		t.Errorf("got triggers %q, want one save", got)
	}
	to.sync(t)
	if s := to.syncState(); s.Pending != 0 || s.Attention != 0 {
		t.Errorf("got %+v after the next sync, want all sent", s)
	}
}

func TestOfficerCorrect(t *testing.T) {
	ctx := context.Background()
	corrected := func(t *testing.T, item ui.AttentionItem, what string) json.RawMessage {
		var c housing.Commitment
		if err := json.Unmarshal(item.Data, &c); err != nil {
			t.Fatal(err)
		}
		c.What = what
		data, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	t.Run("OK", func(t *testing.T) {
		to := newTestOfficer(t)
		item := to.refusedPromise(t)
		res := to.correct(ctx, ui.Correction{ID: item.ID, Data: corrected(t, item, "Call about the damp in the back bedroom")})
		if res.Problem != "" || res.ID != item.ID {
			t.Fatalf("got %+v, want the correction sent", res)
		}
		if got := to.promise(item.RecordID).Commitment.What; got != "Call about the damp in the back bedroom" {
			t.Errorf("got the promise %q, want it corrected", got)
		}
		if got := to.attention(); len(got) != 0 {
			t.Errorf("got %+v on the sync page, want nothing", got)
		}
		if got := to.drainTriggers(); !slices.Equal(got, []string{replica.TriggerSave}) {
			t.Errorf("got triggers %q, want one save", got)
		}
	})
	t.Run("Invalid", func(t *testing.T) {
		to := newTestOfficer(t)
		item := to.refusedPromise(t)
		res := to.correct(ctx, ui.Correction{ID: item.ID, Data: corrected(t, item, "")})
		if res.Problem == "" || res.ID != item.ID {
			t.Errorf("got %+v, want a promise that says nothing refused", res)
		}
		if got := to.attention(); len(got) != 1 {
			t.Errorf("got %d items on the sync page, want the refused promise still there", len(got))
		}
		if got := to.drainTriggers(); len(got) != 0 {
			t.Errorf("got triggers %q for a correction that was refused", got)
		}
	})
}

func TestOfficerSignIn(t *testing.T) {
	ctx := context.Background()
	t.Run("AsksForStorageOnce", func(t *testing.T) {
		to := newTestOfficer(t) // signed in once
		if _, ask := to.signIn(ctx, ui.SignInForm{Username: "sarah", Password: "right"}); ask {
			t.Error("asked for persistent storage at the second sign-in, want only the first")
		}
		if v := to.storage(); !v.Asked || !v.Supported || v.SchemaVersion != replica.SchemaVersion {
			t.Errorf("got %+v, want asked and supported", v)
		}
	})
	t.Run("Refused", func(t *testing.T) {
		to := newTestOfficer(t)
		res, ask := to.signIn(ctx, ui.SignInForm{Username: "sarah", Password: "wrong"})
		if res.Done || res.Problem != "Wrong username or password." || ask {
			t.Errorf("got %+v (ask %v), want the server's refusal", res, ask)
		}
	})
	t.Run("SuggestsTheDeviceName", func(t *testing.T) {
		to := newTestOfficer(t)
		if got := to.account().DeviceName; got != "Test browser" {
			t.Errorf("got device name %q, want the browser's suggestion", got)
		}
	})
}

func TestOfficerExport(t *testing.T) {
	to := newTestOfficer(t)
	to.b.at = time.Date(2026, 12, 2, 14, 5, 0, 0, time.UTC)
	to.saveVisit(context.Background(), to.draft())
	name, data, err := to.exportUnsynced()
	if err != nil {
		t.Fatal(err)
	}
	if name != "doorstep-unsynced-2026-12-02-1405.json" || !strings.Contains(string(data), "Call about the damp") {
		t.Errorf("got %s with %d bytes, want the unsynced promise in a file named for the time", name, len(data))
	}
}
