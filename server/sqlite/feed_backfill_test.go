package sqlite_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"

	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// TestFeedBackfill checks that a database that held promises before the
// feed existed gets, once, the feed it would have had: the same events, in
// the same order, each promise as it stood after each step. It takes a
// database whose feed was written as things happened, removes the feed and
// the record of migration 010, opens it again and compares.
func TestFeedBackfill(t *testing.T) {
	t.Run("Scenario", func(t *testing.T) {
		w := newFeedWorld(t, demotest.Empty(t))
		c := w.promiseLife()
		w.promiseLife()
		tom := synctest.NewDevice(t, w.sync, w.fx, "tom", "tom-backfill")
		sue := synctest.NewDevice(t, w.sync, w.fx, "sue", "sue-backfill")
		w.tick()
		// One batch, one transaction, one time: made, picked up,
		// escalated; a second promise made and cancelled; a complaint
		// about the first; the tenant's "not what we agreed".
		a := synctest.NewCommitment(tom.P, w.fx.Tenancies["riv2"], housing.FunctionTenancy)
		b := synctest.NewCommitment(tom.P, w.fx.Tenancies["riv2"], housing.FunctionTenancy)
		complaint := synctest.NewFeedback(w.fx.Tenancies["riv2"], "")
		complaint.CommitmentID, complaint.Complaint, complaint.Comment = a.ID, true, "Nobody came"
		general := synctest.NewFeedback(w.fx.Tenancies["riv1"], "")
		tom.Push(
			tom.Mutation(housing.KindCommitmentMake, a.ID, 0, a),
			tom.Mutation(housing.KindCommitmentMake, b.ID, 0, b),
			tom.Mutation(housing.KindCommitmentAcknowledge, a.ID, 1, housing.CommitmentAction{}),
			tom.Mutation(housing.KindCommitmentEscalate, a.ID, 2, housing.CommitmentAction{Reason: "Third time"}),
			tom.Mutation(housing.KindFeedbackGive, complaint.ID, 0, complaint),
			tom.Mutation(housing.KindCommitmentCancel, b.ID, 1, housing.CommitmentAction{Reason: "Made twice"}),
			tom.Mutation(housing.KindFeedbackGive, general.ID, 0, general),
		)
		w.tick()
		sue.Push(sue.Mutation(housing.KindCommitmentBreak, a.ID, 3, housing.CommitmentAction{Reason: "Sorry we missed it"}))
		w.tick()
		sue.Push(sue.Mutation(housing.KindCommitmentReassign, a.ID, 4, housing.CommitmentAction{FunctionID: housing.FunctionTenancy, OwnerID: "sue", Reason: "I will see to it"}))
		w.tick()
		if _, err := w.tenants.TenantRespond(context.Background(), a.Token, housing.CommitmentAction{Answer: housing.TenantNotAgreed}); err != nil {
			t.Fatal(err)
		}
		w.tick()
		if err := w.tenants.TenantFeedback(context.Background(), c.Token, housing.Feedback{Answers: map[housing.Question]housing.Rating{housing.TP01: housing.VerySatisfied}}); err != nil {
			t.Fatal(err)
		}
		checkBackfill(t, w.db)
	})
	t.Run("DemoHistory", func(t *testing.T) {
		checkBackfill(t, demotest.History(t))
	})
}

// checkBackfill reads db's feed, removes it, opens db again and checks the
// feed the backfill writes is the same.
func checkBackfill(t *testing.T, db *sqlite.DB) {
	t.Helper()
	ctx := context.Background()
	live := readWholeFeed(t, db)
	if len(live) < 10 {
		t.Fatalf("only %d events to compare", len(live))
	}
	dir := filepath.Dir(db.Path)
	for _, q := range []string{`DROP TRIGGER commitment_events_feed`, `DROP TABLE events`, `DROP TABLE integration_tokens`, `DELETE FROM migrations WHERE name = 'migrations/010_feed.sql'`} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	again, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatalf("open with the feed to backfill: %v", err)
	}
	defer again.Close()
	filled := readWholeFeed(t, again)

	// A tenant's replaced feedback has one row, as it now stands: its
	// earlier events are not written again.
	last := map[string]int{}
	for i, e := range live {
		if e.Feedback != nil {
			last[e.Feedback.ID] = i
		}
	}
	var want []housing.FeedEvent
	for i, e := range live {
		if e.Feedback == nil || last[e.Feedback.ID] == i {
			want = append(want, e)
		}
	}
	if len(filled) != len(want) {
		t.Fatalf("backfilled %d events, want %d", len(filled), len(want))
	}
	for i := range want {
		if filled[i].ID != strconv.Itoa(i+1) {
			t.Errorf("backfilled event %d has ID %s, want %d", i, filled[i].ID, i+1)
		}
		filled[i].ID, want[i].ID = "", ""
		got, _ := json.Marshal(filled[i])
		wantJSON, _ := json.Marshal(want[i])
		if string(got) != string(wantJSON) {
			t.Fatalf("backfilled event %d:\n got %s\nwant %s", i, got, wantJSON)
		}
	}
}

// readWholeFeed reads every event of db's feed with a new token for every
// team.
func readWholeFeed(t *testing.T, db *sqlite.DB) []housing.FeedEvent {
	t.Helper()
	ctx := context.Background()
	svc := &sqlite.IntegrationService{DB: db}
	tok, err := svc.CreateToken(ctx, housing.Principal{}, housing.NewIntegrationToken{Name: "Everything", Teams: []string{housing.AllTeams}})
	if err != nil {
		t.Fatal(err)
	}
	var all []housing.FeedEvent
	for after := ""; ; {
		page, err := svc.Events(ctx, tok.Token, after, housing.MaxFeedPage)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Events...)
		if after = page.Next; !page.More {
			return all
		}
	}
}
