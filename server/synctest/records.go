package synctest

import (
	"sync"
	"testing"

	"doorstep/shared/housing"
)

// NewFeedback returns valid officer feedback by p at tenancy t about visit
// visitID ("" for none).
func NewFeedback(t housing.Tenancy, visitID string) housing.Feedback {
	return housing.Feedback{
		ID: NewID(), TenancyID: t.ID, VisitID: visitID, SiteID: t.SiteID, Source: housing.SourceOfficer,
		Answers: map[housing.Question]housing.Rating{housing.TP01: housing.FairlySatisfied},
	}
}

// testIDAcrossKinds checks that a record ID names one record whatever its
// kind: one by one, in a run of new promises, within one batch, and when
// two devices' batches race into the same write.
func testIDAcrossKinds(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	sue := NewDevice(t, svc, fx, "sue", "sue-phone")
	v := NewVisit(tom.P, fx.Tenancies["riv1"])
	wantResult(t, tom.Push(tom.Mutation(housing.KindVisitRecord, v.ID, 0, v)).Results[0], housing.ResultApplied, "")

	// The same device reusing its visit's ID for feedback: its outbox sent
	// the ID twice, so it is a duplicate, and nothing more is stored.
	f := NewFeedback(fx.Tenancies["riv1"], "")
	f.ID = v.ID
	wantResult(t, tom.Push(tom.Mutation(housing.KindFeedbackGive, f.ID, 0, f)).Results[0], housing.ResultDuplicate, "")

	// Another officer's promise under tom's visit's ID: refused, alone and
	// in the middle of a run of new promises.
	c := NewCommitment(sue.P, fx.Tenancies["riv1"], housing.FunctionTenancy)
	c.ID = v.ID
	wantResult(t, sue.Push(sue.Mutation(housing.KindCommitmentMake, c.ID, 0, c)).Results[0], housing.ResultRejected, housing.CodeConflict)
	before, after := NewCommitment(sue.P, fx.Tenancies["riv1"], housing.FunctionTenancy), NewCommitment(sue.P, fx.Tenancies["riv2"], housing.FunctionTenancy)
	c.Token = housing.NewToken()
	run := sue.Push(
		sue.Mutation(housing.KindCommitmentMake, before.ID, 0, before),
		sue.Mutation(housing.KindCommitmentMake, c.ID, 0, c),
		sue.Mutation(housing.KindCommitmentMake, after.ID, 0, after),
	)
	wantResult(t, run.Results[0], housing.ResultApplied, "")
	wantResult(t, run.Results[1], housing.ResultRejected, housing.CodeConflict)
	wantResult(t, run.Results[2], housing.ResultApplied, "")

	// Within one batch: a promise under the ID of the visit just before it.
	v2 := NewVisit(tom.P, fx.Tenancies["riv2"])
	c2 := NewCommitment(tom.P, fx.Tenancies["riv2"], housing.FunctionRepairs)
	c2.ID = v2.ID
	one := tom.Push(tom.Mutation(housing.KindVisitRecord, v2.ID, 0, v2), tom.Mutation(housing.KindCommitmentMake, c2.ID, 0, c2))
	wantResult(t, one.Results[0], housing.ResultApplied, "")
	wantResult(t, one.Results[1], housing.ResultDuplicate, "")

	// Two devices sending records of two kinds under one new ID at the
	// same moment: one is stored, the other refused.
	shared := NewID()
	v3 := NewVisit(tom.P, fx.Tenancies["riv1"])
	v3.ID = shared
	f3 := NewFeedback(fx.Tenancies["riv1"], "")
	f3.ID = shared
	batches := []struct {
		d *Device
		m housing.Mutation
	}{
		{tom, tom.Mutation(housing.KindVisitRecord, shared, 0, v3)},
		{sue, sue.Mutation(housing.KindFeedbackGive, shared, 0, f3)},
	}
	results := make([]housing.SyncResponse, len(batches))
	errs := make([]error, len(batches))
	var wg sync.WaitGroup
	for i, b := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = b.d.Send(b.m)
		}()
	}
	wg.Wait()
	statuses := map[string]int{}
	for i := range batches {
		if errs[i] != nil {
			t.Fatalf("batch %d: %v", i, errs[i])
		}
		r := results[i].Results[0]
		statuses[r.Status+" "+r.Code]++
	}
	if statuses[housing.ResultApplied+" "] != 1 || statuses[housing.ResultRejected+" "+housing.CodeConflict] != 1 {
		t.Errorf("two devices racing one ID into two kinds: got %v, want one applied and one rejected as a conflict", statuses)
	}

	ada := NewDevice(t, svc, fx, "ada", "ada-phone")
	ada.PullAll()
	for _, id := range []string{v.ID, v2.ID, shared} {
		n := 0
		for _, kind := range []string{housing.RecordVisit, housing.RecordCommitment, housing.RecordFeedback} {
			if ada.Has(kind, id) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("ID %s names %d records, want 1", id, n)
		}
	}
	if got := ada.Visit(v.ID).OfficerID; got != "tom" {
		t.Errorf("got visit officer %q, want the first record kept", got)
	}
	if got := ada.Count(housing.RecordCommitment); got != 2 {
		t.Errorf("got %d promises stored, want sue's 2 good ones", got)
	}
}

// testFeedbackAbout checks that feedback naming a visit or a promise is
// stored only when that record exists at the feedback's own tenancy, and is
// otherwise rejected with a reason that reaches "needs attention".
func testFeedbackAbout(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	ada := NewDevice(t, svc, fx, "ada", "ada-phone")
	v := NewVisit(tom.P, fx.Tenancies["riv1"])
	c := NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionRepairs)
	hv := NewVisit(ada.P, fx.Tenancies["hill1"]) // another officer's visit, at another home
	wantResult(t, ada.Push(ada.Mutation(housing.KindVisitRecord, hv.ID, 0, hv)).Results[0], housing.ResultApplied, "")

	good := NewFeedback(fx.Tenancies["riv1"], v.ID) // about the visit sent just before it
	aboutPromise := NewFeedback(fx.Tenancies["riv1"], "")
	aboutPromise.CommitmentID = c.ID
	noVisit := NewFeedback(fx.Tenancies["riv1"], NewID())
	otherHome := NewFeedback(fx.Tenancies["riv1"], hv.ID)
	otherHomePromise := NewFeedback(fx.Tenancies["riv2"], "")
	otherHomePromise.CommitmentID = c.ID
	noPromise := NewFeedback(fx.Tenancies["riv1"], "")
	noPromise.CommitmentID = NewID()
	resp := tom.Push(
		tom.Mutation(housing.KindVisitRecord, v.ID, 0, v),
		tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c),
		tom.Mutation(housing.KindFeedbackGive, good.ID, 0, good),
		tom.Mutation(housing.KindFeedbackGive, aboutPromise.ID, 0, aboutPromise),
		tom.Mutation(housing.KindFeedbackGive, noVisit.ID, 0, noVisit),
		tom.Mutation(housing.KindFeedbackGive, otherHome.ID, 0, otherHome),
		tom.Mutation(housing.KindFeedbackGive, otherHomePromise.ID, 0, otherHomePromise),
		tom.Mutation(housing.KindFeedbackGive, noPromise.ID, 0, noPromise),
	)
	for i, want := range []struct{ status, code string }{
		{housing.ResultApplied, ""}, {housing.ResultApplied, ""}, {housing.ResultApplied, ""}, {housing.ResultApplied, ""},
		{housing.ResultRejected, housing.CodeNotFound}, {housing.ResultRejected, housing.CodeNotFound},
		{housing.ResultRejected, housing.CodeNotFound}, {housing.ResultRejected, housing.CodeNotFound},
	} {
		wantResult(t, resp.Results[i], want.status, want.code)
	}
	tom.PullAll()
	att := tom.Attention()
	if len(att) != 4 {
		t.Fatalf("got %d attention items, want 4: one for each refused feedback", len(att))
	}
	refused := map[string]bool{noVisit.ID: true, otherHome.ID: true, otherHomePromise.ID: true, noPromise.ID: true}
	for _, a := range att {
		if !refused[a.RecordID] || a.Kind != housing.KindFeedbackGive || a.Code != housing.CodeNotFound || a.Reason == "" {
			t.Errorf("got attention item %+v, want one for a refused feedback, not_found with a reason", a)
		}
	}
	ada.PullAll()
	for id := range refused {
		if ada.Has(housing.RecordFeedback, id) {
			t.Errorf("refused feedback %s was stored", id)
		}
	}
	if !ada.Has(housing.RecordFeedback, good.ID) || !ada.Has(housing.RecordFeedback, aboutPromise.ID) {
		t.Errorf("feedback about a real visit or promise at its tenancy was not stored")
	}
}

// testOwnRecordsComeBack checks that a device's pulls bring its own new
// records back as the server stored them, corrected where the server
// corrects them: as patches in the answer to the request that sent them,
// whole when they were sent in an earlier request whose answer was lost.
// Each must end up byte for byte as another device receives it.
func testOwnRecordsComeBack(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	tom.PullAll() // caught up: what follows comes through the change log
	v := NewVisit(tom.P, fx.Tenancies["riv1"])
	v.SiteID = "hillside" // the phone got it wrong; the tenancy says otherwise
	c := NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionTenancy)
	c.Household, c.Status, c.Version = "Wrong Name", housing.StatusKept, 9
	f := NewFeedback(fx.Tenancies["riv1"], v.ID)
	resp := tom.Push(
		tom.Mutation(housing.KindVisitRecord, v.ID, 0, v),
		tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c),
		tom.Mutation(housing.KindFeedbackGive, f.ID, 0, f),
	)
	for _, r := range resp.Results {
		wantResult(t, r, housing.ResultApplied, "")
	}
	if tom.Patched != 3 {
		t.Errorf("got %d of the device's own records back as patches, want 3", tom.Patched)
	}
	if got := tom.Visit(v.ID); got.SiteID != "riverside" || got.ReceivedAt.IsZero() {
		t.Errorf("tom's copy of his visit has site %q, received %v; want the server's riverside and its time", got.SiteID, got.ReceivedAt)
	}
	if got := tom.Commitment(c.ID); got.Household != "Mrs A Khan" || got.Status != housing.StatusOpen || got.Version != 1 || got.Token != "" || len(got.History) != 1 {
		t.Errorf("tom's copy of his promise is %+v; want the server's: open, version 1, the tenancy's household, no token", got)
	}

	// Answers lost on the way: the next request resends one mutation (a
	// duplicate, its record comes back as a patch) and the other record
	// comes back whole in a pull that sends nothing.
	v2, v3 := NewVisit(tom.P, fx.Tenancies["riv2"]), NewVisit(tom.P, fx.Tenancies["riv2"])
	m2, m3 := tom.Mutation(housing.KindVisitRecord, v2.ID, 0, v2), tom.Mutation(housing.KindVisitRecord, v3.ID, 0, v3)
	if _, err := tom.Send(m2, m3); err != nil {
		t.Fatal(err)
	}
	again := tom.Push(m2)
	wantResult(t, again.Results[0], housing.ResultDuplicate, "")
	tom.PullAll()
	if tom.Patched != 4 {
		t.Errorf("got %d patches in all, want 4: the resent visit comes back as one", tom.Patched)
	}

	// An app from before patches does not ask for them, and gets its own
	// records back whole.
	old := NewDevice(t, svc, fx, "tom", "tom-old-phone")
	old.WholeRecords = true
	old.PullAll()
	v4 := NewVisit(old.P, fx.Tenancies["riv1"])
	wantResult(t, old.Push(old.Mutation(housing.KindVisitRecord, v4.ID, 0, v4)).Results[0], housing.ResultApplied, "")

	ada := NewDevice(t, svc, fx, "ada", "ada-phone")
	ada.PullAll()
	if got, want := old.Records["visit/"+v4.ID], ada.Records["visit/"+v4.ID]; len(want) == 0 || string(got) != string(want) {
		t.Errorf("the old app's visit differs from the server's form:\ngot  %s\nwant %s", got, want)
	}
	for _, key := range []string{"visit/" + v.ID, "commitment/" + c.ID, "feedback/" + f.ID, "visit/" + v2.ID, "visit/" + v3.ID} {
		got, want := tom.Records[key], ada.Records[key]
		if len(want) == 0 || string(got) != string(want) {
			t.Errorf("%s on the phone that made it differs from the server's form:\ngot  %s\nwant %s", key, got, want)
		}
	}
}
