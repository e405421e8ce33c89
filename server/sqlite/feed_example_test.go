package sqlite_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doorstep/server/demo/demotest"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

var updateFeedExamples = flag.Bool("update-feed-examples", false, "write the events feed's examples in shared/housing/testdata from TestFeedExamples")

// feedExamples is where docs/events.md's examples live: golden files that
// shared/housing's tests check against the types and against the page.
const feedExamples = "../../shared/housing/testdata"

// TestFeedExamples plays a promise's whole life and a complaint through the
// real services, with fixed IDs and times, and checks that the feed reads
// exactly as the examples of docs/events.md say: the first page, and the
// first event of every type. So the documented examples are what the server
// sends, not what someone thought it sends.
func TestFeedExamples(t *testing.T) {
	w := newFeedWorld(t, demotest.Empty(t))
	ctx := context.Background()
	w.now = time.Date(2026, 11, 23, 9, 42, 0, 0, time.UTC)
	at := func(d time.Duration) { w.mu.Lock(); w.now = w.now.Add(d); w.mu.Unlock() }
	tom := synctest.NewDevice(t, w.sync, w.fx, "tom", "tom-phone")
	rita := synctest.NewDevice(t, w.sync, w.fx, "rita", "rita-phone")
	sue := synctest.NewDevice(t, w.sync, w.fx, "sue", "sue-laptop")
	push := func(d *synctest.Device, kind, id string, base int, data any) {
		t.Helper()
		if r := d.Push(d.Mutation(kind, id, base, data)).Results[0]; r.Status != housing.ResultApplied {
			t.Fatalf("%s: %s %s", kind, r.Status, r.Reason)
		}
	}
	tenant := func(token, answer, comment string) {
		t.Helper()
		if _, err := w.tenants.TenantRespond(ctx, token, housing.CommitmentAction{Answer: answer, Reason: comment}); err != nil {
			t.Fatal(err)
		}
	}
	promise := func(id, what, due string) housing.Commitment {
		c := synctest.NewCommitment(tom.P, w.fx.Tenancies["riv1"], housing.FunctionTenancy)
		c.ID, c.What, c.DueDate, c.StandardID = id, what, housing.Date(due), ""
		return c
	}

	damp := promise("019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6071", "Get the damp in the back bedroom looked at", "2026-12-04")
	tok := w.token(housing.AllTeams)
	push(tom, housing.KindCommitmentMake, damp.ID, 0, damp)
	at(26 * time.Minute)
	push(tom, housing.KindCommitmentAcknowledge, damp.ID, 1, housing.CommitmentAction{})
	at(2*24*time.Hour + 3*time.Hour)
	push(tom, housing.KindCommitmentExtend, damp.ID, 2, housing.CommitmentAction{DueDate: "2026-12-11", Reason: "The surveyor can come on the 10th"})
	at(time.Hour)
	push(sue, housing.KindCommitmentEscalate, damp.ID, 3, housing.CommitmentAction{Reason: "Third report of damp this year"})
	at(20 * time.Minute)
	push(tom, housing.KindCommitmentReassign, damp.ID, 4, housing.CommitmentAction{FunctionID: housing.FunctionRepairs, OwnerID: "rita", Reason: "It needs a repair, not a visit"})
	at(5*24*time.Hour + 4*time.Hour)
	push(rita, housing.KindCommitmentComplete, damp.ID, 5, housing.CommitmentAction{Reason: "Gutter cleared and wall treated"})
	at(26 * time.Hour)
	tenant(damp.Token, housing.TenantNotDone, "The patch by the window is still wet")
	at(2 * 24 * time.Hour)
	push(rita, housing.KindCommitmentComplete, damp.ID, 7, housing.CommitmentAction{Reason: "Window seal replaced"})
	at(24 * time.Hour)
	tenant(damp.Token, housing.TenantDone, "")
	at(10 * time.Minute)
	if err := w.tenants.TenantFeedback(ctx, damp.Token, housing.Feedback{ID: "019ab4d0-1111-7a22-8b33-4c5d6e7f8091",
		Answers: map[housing.Question]housing.Rating{housing.TP01: housing.FairlySatisfied}, Comment: "Took two goes, but it is dry now"}); err != nil {
		t.Fatal(err)
	}
	at(time.Hour)
	complaint := synctest.NewFeedback(w.fx.Tenancies["riv1"], "")
	complaint.ID, complaint.CommitmentID, complaint.Complaint = "019ab4e2-2222-7b33-8c44-5d6e7f809102", damp.ID, true
	complaint.Comment = "Nobody came the first week, and no one rang to say"
	complaint.Answers = map[housing.Question]housing.Rating{housing.TP01: housing.FairlyDissatisfied}
	push(tom, housing.KindFeedbackGive, complaint.ID, 0, complaint)

	bins := promise("019ab4f5-3333-7c44-8d55-6e7f8091a213", "Ask the caretaker to move the bins from the path", "2026-11-30")
	at(time.Hour)
	push(tom, housing.KindCommitmentMake, bins.ID, 0, bins)
	at(8 * 24 * time.Hour)
	push(sue, housing.KindCommitmentBreak, bins.ID, 1, housing.CommitmentAction{Reason: "We are sorry: the bins were not moved by the 30th"})
	key := promise("019ab506-4444-7d55-8e66-7f8091a2b324", "Post a new fob for the back door", "2026-11-27")
	at(time.Hour)
	push(tom, housing.KindCommitmentMake, key.ID, 0, key)
	at(3 * time.Hour)
	push(tom, housing.KindCommitmentCancel, key.ID, 1, housing.CommitmentAction{Reason: "The tenant found the old fob"})
	general := synctest.NewFeedback(w.fx.Tenancies["riv2"], "")
	general.ID, general.Comment = "019ab517-5555-7e66-8f77-8091a2b3c435", "The new lighting on the stairs is much better"
	at(30 * time.Minute)
	push(tom, housing.KindFeedbackGive, general.ID, 0, general)

	page, err := w.feed.Events(ctx, tok, "", 2)
	if err != nil {
		t.Fatal(err)
	}
	checkExample(t, "feed_page.json", page)
	all := w.readAll(tok, housing.MaxFeedPage)
	first := map[string]housing.FeedEvent{}
	for _, e := range all {
		if _, ok := first[e.Type]; !ok {
			first[e.Type] = e
		}
	}
	for _, typ := range []string{housing.FeedPromiseMade, housing.FeedPromisePickedUp, housing.FeedPromiseExtended,
		housing.FeedPromiseReassigned, housing.FeedPromiseEscalated, housing.FeedPromiseDone, housing.FeedPromiseKept,
		housing.FeedPromiseDisputed, housing.FeedPromiseBroken, housing.FeedPromiseCancelled,
		housing.FeedComplaintMade, housing.FeedFeedbackGiven} {
		e, ok := first[typ]
		if !ok {
			t.Errorf("the example's feed has no %s", typ)
			continue
		}
		checkExample(t, exampleFile(typ), e)
	}
}

// exampleFile is the example of event type typ: feed_promise_made.json for
// promise.made.
func exampleFile(typ string) string { return "feed_" + strings.ReplaceAll(typ, ".", "_") + ".json" }

// checkExample compares v, as the API encodes it, with the example file
// name, or writes the file with -update-feed-examples.
func checkExample(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join(feedExamples, name)
	if *updateFeedExamples {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-feed-examples to write it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("the feed does not read as its example %s says:\n got %s\nwant %s", name, got, want)
	}
}
