package synctest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"doorstep/shared/housing"
)

// PageChanges is the page size a contract service must be built with, so
// paging is exercised without thousands of records.
const PageChanges = 7

// NewService returns a fresh sync service over a fresh store holding the
// fixture (Seed), with pages of PageChanges changes.
type NewService func(t *testing.T) (housing.SyncService, Fixture)

// Run is the one body of the sync contract. Every implementation runs it:
// the SQLite service in-process, and the HTTP client talking to echo in
// front of the same service.
func Run(t *testing.T, newService NewService) {
	tests := []struct {
		name string
		fn   func(t *testing.T, svc housing.SyncService, fx Fixture)
	}{
		{"FreshDeviceGetsSnapshotInScope", testSnapshotScope},
		{"ReplayIsDuplicate", testReplay},
		{"OverlappingResendAppliesOnlyNew", testOverlap},
		{"GapIsRefused", testGap},
		{"BadEnvelopeChangesNothing", testBadEnvelope},
		{"RejectedAdvancesAndNeedsAttention", testRejected},
		{"RepeatedTransitionIsSuccess", testRepeat},
		{"IllegalTransitionIsRejected", testIllegal},
		{"StaleExtendIsConflict", testConflict},
		{"ForbiddenAndOutOfScope", testForbidden},
		{"FunctionScopeCrossesSites", testCrossSite},
		{"ReassignMovesScope", testReassign},
		{"PagingHasMore", testPaging},
		{"SnapshotThenCatchUp", testSnapshotCatchUp},
		{"ScopeChangeResets", testScopeReset},
		{"RecordsCarryProvenance", testProvenance},
		{"ComplaintRoutesToComplaints", testComplaint},
		{"DuplicateIDFromAnotherDevice", testDuplicateID},
		{"BadCursorIsInvalid", testBadCursor},
		{"ConcurrentBatchesEachOnce", testConcurrent},
		{"RunOfPromisesKeepsEachResult", testPromiseRun},
		{"RecordIDUniqueAcrossKinds", testIDAcrossKinds},
		{"FeedbackAboutItsTenancy", testFeedbackAbout},
		{"OwnRecordsComeBackAsStored", testOwnRecordsComeBack},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, fx := newService(t)
			tt.fn(t, svc, fx)
		})
	}
}

func wantResult(t *testing.T, got housing.Result, status, code string) {
	t.Helper()
	if got.Status != status || got.Code != code {
		t.Fatalf("mutation %d: got status %q code %q (%s), want %q code %q", got.Seq, got.Status, got.Code, got.Reason, status, code)
	}
	if (status == housing.ResultRejected || status == housing.ResultConflict) && got.Reason == "" {
		t.Fatalf("mutation %d: %s without a reason", got.Seq, status)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := housing.ErrorCode(err); got != code {
		t.Fatalf("got error %v (code %q), want code %q", err, got, code)
	}
}

func testSnapshotScope(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	tom.PullAll()
	for _, want := range []string{"site/riverside", "site/hillside", "function/repairs", "function/complaints",
		"officer/tom", "officer/rita", "standard/repairs.routine", "standard/complaints.stage1_ack", "tenancy/riv1", "tenancy/riv2"} {
		if _, ok := tom.Records[want]; !ok {
			t.Errorf("tom's snapshot lacks %s", want)
		}
	}
	if tom.Has(housing.RecordTenancy, "hill1") {
		t.Errorf("tom got hill1, a tenancy on a site he does not work at")
	}
	for k, raw := range tom.Records {
		var o housing.Officer
		if strings.HasPrefix(k, "officer/") && (strings.Contains(string(raw), "password") || json.Unmarshal(raw, &o) != nil || o.Username != "") {
			t.Errorf("%s carries sign-in details: %s", k, raw)
		}
	}
	if tom.Pages < 2 {
		t.Errorf("got the snapshot in %d page(s), want several pages of %d", tom.Pages, PageChanges)
	}
	if !strings.HasPrefix(tom.Cursor, "c1.") {
		t.Errorf("got cursor %q after the snapshot, want a catch-up cursor", tom.Cursor)
	}
	ada := NewDevice(t, svc, fx, "ada", "ada-phone")
	ada.PullAll()
	if !ada.Has(housing.RecordTenancy, "hill1") || !ada.Has(housing.RecordTenancy, "riv1") {
		t.Errorf("the admin did not get every tenancy")
	}
}

func testReplay(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	v := NewVisit(tom.P, fx.Tenancies["riv1"])
	c := NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionRepairs)
	batch := []housing.Mutation{
		tom.Mutation(housing.KindVisitRecord, v.ID, 0, v),
		tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c),
		tom.Mutation(housing.KindCommitmentAcknowledge, c.ID, 1, housing.CommitmentAction{}),
	}
	first := tom.Push(batch...)
	for _, r := range first.Results {
		wantResult(t, r, housing.ResultApplied, "")
	}
	if first.LastMutation != 3 {
		t.Fatalf("got last_mutation %d, want 3", first.LastMutation)
	}
	for i := 0; i < 2; i++ {
		again := tom.Push(batch...)
		for _, r := range again.Results {
			wantResult(t, r, housing.ResultDuplicate, "")
		}
		if again.LastMutation != 3 {
			t.Fatalf("replay %d: got last_mutation %d, want 3", i+1, again.LastMutation)
		}
	}
	ada := NewDevice(t, svc, fx, "ada", "ada-phone")
	ada.PullAll()
	if got := ada.Count(housing.RecordVisit); got != 1 {
		t.Errorf("got %d visits stored, want 1", got)
	}
	if got := ada.Commitment(c.ID); got.Version != 2 || len(got.History) != 2 {
		t.Errorf("got version %d with %d events, want version 2 with 2 (made, acknowledged once)", got.Version, len(got.History))
	}
}

func testOverlap(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	v1, v2, v3 := NewVisit(tom.P, fx.Tenancies["riv1"]), NewVisit(tom.P, fx.Tenancies["riv1"]), NewVisit(tom.P, fx.Tenancies["riv2"])
	m1, m2, m3 := tom.Mutation(housing.KindVisitRecord, v1.ID, 0, v1), tom.Mutation(housing.KindVisitRecord, v2.ID, 0, v2), tom.Mutation(housing.KindVisitRecord, v3.ID, 0, v3)
	tom.Push(m1, m2)
	resp := tom.Push(m2, m3)
	wantResult(t, resp.Results[0], housing.ResultDuplicate, "")
	wantResult(t, resp.Results[1], housing.ResultApplied, "")
	if resp.LastMutation != 3 {
		t.Errorf("got last_mutation %d, want 3", resp.LastMutation)
	}
	tom.PullAll()
	if got := tom.Count(housing.RecordVisit); got != 3 {
		t.Errorf("got %d visits, want 3", got)
	}
}

func testGap(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	v1 := NewVisit(tom.P, fx.Tenancies["riv1"])
	tom.Push(tom.Mutation(housing.KindVisitRecord, v1.ID, 0, v1))
	tom.PullAll()

	tom.Next = 5 // mutations 2 to 4 were lost on the way
	v5 := NewVisit(tom.P, fx.Tenancies["riv1"])
	resp, err := tom.Send(tom.Mutation(housing.KindVisitRecord, v5.ID, 0, v5))
	wantCode(t, err, housing.CodeGap)
	if resp.LastMutation != 1 {
		t.Fatalf("got last_mutation %d with the gap, want 1", resp.LastMutation)
	}
	tom.PullAll()
	if tom.Has(housing.RecordVisit, v5.ID) {
		t.Fatalf("a visit from a refused batch was stored")
	}

	tom.Next = resp.LastMutation + 1 // resend from the server's number
	v2 := NewVisit(tom.P, fx.Tenancies["riv1"])
	ok := tom.Push(tom.Mutation(housing.KindVisitRecord, v2.ID, 0, v2), tom.Mutation(housing.KindVisitRecord, v5.ID, 0, v5))
	if ok.LastMutation != 3 {
		t.Errorf("got last_mutation %d after resending, want 3", ok.LastMutation)
	}
}

func testBadEnvelope(t *testing.T, svc housing.SyncService, fx Fixture) {
	ada := NewDevice(t, svc, fx, "ada", "ada-phone")
	ada.PullAll()
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	v := NewVisit(tom.P, fx.Tenancies["riv1"])
	m := tom.Mutation(housing.KindVisitRecord, v.ID, 0, v)
	skip := m
	skip.Seq = 3
	tests := []struct {
		name string
		req  housing.SyncRequest
		code string
	}{
		{"OtherProtocol", housing.SyncRequest{Protocol: 99, DeviceID: "tom-phone", Mutations: []housing.Mutation{m}}, housing.CodeUnsupported},
		{"OtherDevice", housing.SyncRequest{Protocol: 1, DeviceID: "someone-else", Mutations: []housing.Mutation{m}}, housing.CodeForbidden},
		{"NoDevice", housing.SyncRequest{Protocol: 1, Mutations: []housing.Mutation{m}}, housing.CodeInvalid},
		{"SkippedNumber", housing.SyncRequest{Protocol: 1, DeviceID: "tom-phone", Mutations: []housing.Mutation{m, skip}}, housing.CodeInvalid},
		{"NumberZero", housing.SyncRequest{Protocol: 1, DeviceID: "tom-phone", Mutations: []housing.Mutation{{Seq: 0, Kind: housing.KindVisitRecord}}}, housing.CodeInvalid},
		{"TooMany", housing.SyncRequest{Protocol: 1, DeviceID: "tom-phone", Mutations: make([]housing.Mutation, housing.MaxMutationsPerBatch+1)}, housing.CodeTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.Sync(t.Context(), tom.P, tt.req)
			wantCode(t, err, tt.code)
		})
	}
	resp := ada.Push()
	if len(resp.Changes) != 0 {
		t.Errorf("refused requests changed %d records: %+v", len(resp.Changes), resp.Changes)
	}
	last := tom.Push()
	if last.LastMutation != 0 {
		t.Errorf("got last_mutation %d after refused requests, want 0", last.LastMutation)
	}
}

func testRejected(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	bad := NewVisit(tom.P, fx.Tenancies["riv1"])
	bad.Purpose = "party"
	good := NewVisit(tom.P, fx.Tenancies["riv1"])
	resp := tom.Push(
		tom.Mutation(housing.KindVisitRecord, bad.ID, 0, bad),
		tom.Mutation("visit.teleport", NewID(), 0, map[string]string{"to": "mars"}),
		tom.Mutation(housing.KindVisitRecord, NewID(), 0, json.RawMessage(`"not a visit"`)),
		tom.Mutation(housing.KindVisitRecord, good.ID, 0, good),
	)
	wantResult(t, resp.Results[0], housing.ResultRejected, housing.CodeInvalid)
	wantResult(t, resp.Results[1], housing.ResultRejected, housing.CodeInvalid)
	wantResult(t, resp.Results[2], housing.ResultRejected, housing.CodeInvalid)
	wantResult(t, resp.Results[3], housing.ResultApplied, "")
	if resp.LastMutation != 4 {
		t.Fatalf("got last_mutation %d, want 4: rejections must advance it", resp.LastMutation)
	}
	tom.PullAll()
	att := tom.Attention()
	if len(att) != 3 {
		t.Fatalf("got %d attention items, want 3", len(att))
	}
	for _, a := range att {
		if a.Code == "" || a.Reason == "" || a.DeviceID != "tom-phone" || a.OfficerID != "tom" || a.ID != fmt.Sprintf("tom-phone:%d", a.Seq) {
			t.Errorf("got attention item %+v, want code, reason, device, officer and ID device:seq", a)
		}
	}
	if tom.Has(housing.RecordVisit, bad.ID) || !tom.Has(housing.RecordVisit, good.ID) {
		t.Errorf("got the rejected visit stored or the good one missing")
	}
	sue := NewDevice(t, svc, fx, "sue", "sue-phone")
	sue.PullAll()
	if got := len(sue.Attention()); got != 0 {
		t.Errorf("sue's phone got %d of tom's attention items, want 0", got)
	}
}

// madeCommitment has tom make a repairs promise at riv1 and returns it.
func madeCommitment(t *testing.T, tom *Device, fx Fixture, function string) housing.Commitment {
	t.Helper()
	c := NewCommitment(tom.P, fx.Tenancies["riv1"], function)
	resp := tom.Push(tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c))
	wantResult(t, resp.Results[0], housing.ResultApplied, "")
	if resp.Results[0].Version != 1 {
		t.Fatalf("got version %d for a new promise, want 1", resp.Results[0].Version)
	}
	return c
}

func testRepeat(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	c := madeCommitment(t, tom, fx, housing.FunctionTenancy)
	first := tom.Push(tom.Mutation(housing.KindCommitmentAcknowledge, c.ID, 1, housing.CommitmentAction{}))
	second := tom.Push(tom.Mutation(housing.KindCommitmentAcknowledge, c.ID, 1, housing.CommitmentAction{}))
	wantResult(t, first.Results[0], housing.ResultApplied, "")
	wantResult(t, second.Results[0], housing.ResultApplied, "")
	if first.Results[0].Version != 2 || second.Results[0].Version != 2 {
		t.Errorf("got versions %d and %d, want 2 and 2: a repeat changes nothing", first.Results[0].Version, second.Results[0].Version)
	}
}

func testIllegal(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	c := madeCommitment(t, tom, fx, housing.FunctionTenancy)
	resp := tom.Push(
		tom.Mutation(housing.KindCommitmentComplete, c.ID, 1, housing.CommitmentAction{}),
		tom.Mutation(housing.KindCommitmentCancel, c.ID, 2, housing.CommitmentAction{Reason: "Not needed"}),
	)
	wantResult(t, resp.Results[0], housing.ResultApplied, "")
	wantResult(t, resp.Results[1], housing.ResultRejected, housing.CodeIllegal)
	tom.PullAll()
	if got := tom.Commitment(c.ID).Status; got != housing.StatusDone {
		t.Errorf("got status %q, want done", got)
	}
}

func testConflict(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	sue := NewDevice(t, svc, fx, "sue", "sue-phone")
	c := madeCommitment(t, tom, fx, housing.FunctionTenancy)
	sue.PullAll()
	ok := sue.Push(sue.Mutation(housing.KindCommitmentExtend, c.ID, 1, housing.CommitmentAction{DueDate: "2026-12-11", Reason: "Contractor off sick"}))
	wantResult(t, ok.Results[0], housing.ResultApplied, "")

	// Tom, offline, saw version 1 and moves the date too.
	stale := tom.Push(tom.Mutation(housing.KindCommitmentExtend, c.ID, 1, housing.CommitmentAction{DueDate: "2026-12-18", Reason: "Tenant away"}))
	wantResult(t, stale.Results[0], housing.ResultConflict, housing.CodeConflict)
	if stale.Results[0].Version != 2 {
		t.Errorf("got version %d with the conflict, want the server's 2", stale.Results[0].Version)
	}
	tom.PullAll()
	sue.PullAll()
	if got := tom.Commitment(c.ID).DueDate; got != "2026-12-11" {
		t.Errorf("got due date %s on tom's phone, want the server's 2026-12-11", got)
	}
	if got, want := string(tom.Records["commitment/"+c.ID]), string(sue.Records["commitment/"+c.ID]); got != want {
		t.Errorf("the two phones differ:\ntom %s\nsue %s", got, want)
	}
	att := tom.Attention()
	if len(att) != 1 || att[0].Code != housing.CodeConflict {
		t.Errorf("got attention %+v, want the conflict", att)
	}
}

func testForbidden(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	rita := NewDevice(t, svc, fx, "rita", "rita-phone")
	ivan := NewDevice(t, svc, fx, "ivan", "ivan-phone")
	c := madeCommitment(t, tom, fx, housing.FunctionRepairs)

	hv := NewVisit(tom.P, fx.Tenancies["hill1"])
	forged := NewVisit(tom.P, fx.Tenancies["riv1"])
	forged.OfficerID = "sue"
	resp := tom.Push(
		tom.Mutation(housing.KindVisitRecord, hv.ID, 0, hv),
		tom.Mutation(housing.KindVisitRecord, forged.ID, 0, forged),
		tom.Mutation(housing.KindCommitmentBreak, c.ID, 1, housing.CommitmentAction{Reason: "Sorry"}),
		tom.Mutation(housing.KindCommitmentTenant, c.ID, 1, housing.CommitmentAction{Answer: housing.TenantDone}),
	)
	wantResult(t, resp.Results[0], housing.ResultRejected, housing.CodeNotFound)
	wantResult(t, resp.Results[1], housing.ResultRejected, housing.CodeForbidden)
	wantResult(t, resp.Results[2], housing.ResultRejected, housing.CodeForbidden)
	wantResult(t, resp.Results[3], housing.ResultRejected, housing.CodeForbidden)

	r := rita.Push(rita.Mutation(housing.KindCommitmentCancel, c.ID, 1, housing.CommitmentAction{Reason: "Not ours"}))
	wantResult(t, r.Results[0], housing.ResultRejected, housing.CodeForbidden)
	i := ivan.Push(ivan.Mutation(housing.KindCommitmentAcknowledge, c.ID, 1, housing.CommitmentAction{}))
	wantResult(t, i.Results[0], housing.ResultRejected, housing.CodeNotFound)
	unknown := ivan.Push(ivan.Mutation(housing.KindCommitmentAcknowledge, NewID(), 1, housing.CommitmentAction{}))
	wantResult(t, unknown.Results[0], housing.ResultRejected, housing.CodeNotFound)
}

func testCrossSite(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	rita := NewDevice(t, svc, fx, "rita", "rita-phone")
	ivan := NewDevice(t, svc, fx, "ivan", "ivan-phone")
	rita.PullAll()
	ivan.PullAll()
	c := madeCommitment(t, tom, fx, housing.FunctionRepairs)

	rita.PullAll()
	ivan.PullAll()
	if !rita.Has(housing.RecordCommitment, c.ID) {
		t.Fatalf("rita (repairs, hillside) did not get a repairs promise made at riverside")
	}
	if ivan.Has(housing.RecordCommitment, c.ID) {
		t.Fatalf("ivan (income, hillside) got a riverside repairs promise")
	}
	if got := rita.Commitment(c.ID); got.Household != "Mrs A Khan" || got.Token != "" {
		t.Errorf("got household %q token %q, want the tenancy's household and no token", got.Household, got.Token)
	}

	ack := rita.Push(rita.Mutation(housing.KindCommitmentAcknowledge, c.ID, 1, housing.CommitmentAction{}))
	wantResult(t, ack.Results[0], housing.ResultApplied, "")
	tom.PullAll()
	if got := tom.Commitment(c.ID); got.Status != housing.StatusAcknowledged || got.AcknowledgedAt.IsZero() {
		t.Errorf("got status %q on tom's phone, want acknowledged with a time", got.Status)
	}
	rita.PullAll()
	if got, want := string(tom.Records["commitment/"+c.ID]), string(rita.Records["commitment/"+c.ID]); got != want {
		t.Errorf("the two phones differ:\ntom  %s\nrita %s", got, want)
	}
}

func testReassign(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	rita := NewDevice(t, svc, fx, "rita", "rita-phone")
	ivan := NewDevice(t, svc, fx, "ivan", "ivan-phone")
	c := madeCommitment(t, tom, fx, housing.FunctionRepairs)
	rita.PullAll()
	ivan.PullAll()
	if !rita.Has(housing.RecordCommitment, c.ID) {
		t.Fatalf("rita did not get the repairs promise")
	}

	resp := tom.Push(tom.Mutation(housing.KindCommitmentReassign, c.ID, 1, housing.CommitmentAction{FunctionID: housing.FunctionIncome, Reason: "It is about rent"}))
	wantResult(t, resp.Results[0], housing.ResultApplied, "")
	rita.PullAll()
	ivan.PullAll()
	tom.PullAll()
	if rita.Has(housing.RecordCommitment, c.ID) {
		t.Errorf("rita still holds a promise reassigned away from repairs")
	}
	if !ivan.Has(housing.RecordCommitment, c.ID) {
		t.Errorf("ivan (income) did not get the promise reassigned to income")
	}
	got := tom.Commitment(c.ID)
	if got.FunctionID != housing.FunctionIncome || len(got.History) != 2 || got.History[1].From != housing.FunctionRepairs || got.History[1].To != housing.FunctionIncome {
		t.Errorf("got function %q history %+v, want income with the move recorded", got.FunctionID, got.History)
	}

	// Named to an officer: the owner sees it wherever they work.
	resp = tom.Push(tom.Mutation(housing.KindCommitmentReassign, c.ID, 2, housing.CommitmentAction{FunctionID: housing.FunctionRepairs, OwnerID: "rita", Reason: "Rita knows the block"}))
	wantResult(t, resp.Results[0], housing.ResultApplied, "")
	rita.PullAll()
	ivan.PullAll()
	if !rita.Has(housing.RecordCommitment, c.ID) || ivan.Has(housing.RecordCommitment, c.ID) {
		t.Errorf("after reassigning to rita: rita has it %v (want true), ivan has it %v (want false)",
			rita.Has(housing.RecordCommitment, c.ID), ivan.Has(housing.RecordCommitment, c.ID))
	}
}

func testPaging(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	var ms []housing.Mutation
	ids := map[string]bool{}
	for i := 0; i < 3*PageChanges+2; i++ {
		v := NewVisit(tom.P, fx.Tenancies["riv2"])
		ids[v.ID] = true
		ms = append(ms, tom.Mutation(housing.KindVisitRecord, v.ID, 0, v))
	}
	tom.Push(ms...)

	sue := NewDevice(t, svc, fx, "sue", "sue-phone")
	seen := map[string]int{}
	for i := 0; ; i++ {
		resp := sue.Push()
		if len(resp.Changes) > PageChanges {
			t.Fatalf("got %d changes in a page, want at most %d", len(resp.Changes), PageChanges)
		}
		for _, ch := range resp.Changes {
			if ch.Kind == housing.RecordVisit {
				seen[ch.ID]++
			}
		}
		if !resp.HasMore {
			break
		}
		if i > 100 {
			t.Fatalf("has_more never ended")
		}
	}
	for id := range ids {
		if seen[id] != 1 {
			t.Errorf("visit %s came %d times, want once", id, seen[id])
		}
	}
	// Caught up: the next pull is empty and keeps its place.
	resp := sue.Push()
	if len(resp.Changes) != 0 || resp.HasMore {
		t.Errorf("got %d changes, has_more %v from a caught-up device, want none", len(resp.Changes), resp.HasMore)
	}
}

func testSnapshotCatchUp(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	c := madeCommitment(t, tom, fx, housing.FunctionTenancy)

	fresh := NewDevice(t, svc, fx, "sue", "sue-phone")
	first := fresh.Push()
	if !first.HasMore || !strings.HasPrefix(first.Cursor, "s1.") {
		t.Fatalf("got has_more %v cursor %q, want a snapshot under way", first.HasMore, first.Cursor)
	}
	// While the snapshot is paged, the promise changes and a visit is added.
	v := NewVisit(tom.P, fx.Tenancies["riv1"])
	tom.Push(
		tom.Mutation(housing.KindCommitmentAcknowledge, c.ID, 1, housing.CommitmentAction{}),
		tom.Mutation(housing.KindVisitRecord, v.ID, 0, v),
	)
	fresh.PullAll()
	tom.PullAll()
	if !fresh.Has(housing.RecordVisit, v.ID) {
		t.Errorf("the visit added during the snapshot never arrived")
	}
	if got := fresh.Commitment(c.ID).Status; got != housing.StatusAcknowledged {
		t.Errorf("got status %q, want the change made during the snapshot", got)
	}
	for k, raw := range tom.Records {
		if strings.HasPrefix(k, "attention/") {
			continue
		}
		if got := string(fresh.Records[k]); got != string(raw) {
			t.Errorf("%s differs:\nfresh %s\ntom   %s", k, got, raw)
		}
	}
}

func testScopeReset(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	tom.PullAll()
	if tom.Has(housing.RecordTenancy, "hill1") {
		t.Fatalf("tom holds hill1 before working there")
	}
	tom.P.Sites = []string{"hillside"} // moved to another estate
	resp := tom.Push()
	if !resp.Reset {
		t.Fatalf("got no reset after the scope changed")
	}
	tom.PullAll()
	if !tom.Has(housing.RecordTenancy, "hill1") || tom.Has(housing.RecordTenancy, "riv1") {
		t.Errorf("after moving: has hill1 %v (want true), riv1 %v (want false)", tom.Has(housing.RecordTenancy, "hill1"), tom.Has(housing.RecordTenancy, "riv1"))
	}
}

func testProvenance(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	v := NewVisit(tom.P, fx.Tenancies["riv1"])
	v.SiteID = "hillside" // the device got it wrong; the tenancy says otherwise
	v.CreatedBy, v.DeviceID = "someone", "elsewhere"
	c := NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionTenancy)
	c.Status, c.Version, c.Household = housing.StatusKept, 9, "Wrong Name"
	tom.Push(tom.Mutation(housing.KindVisitRecord, v.ID, 0, v), tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c))
	tom.PullAll()

	gv := tom.Visit(v.ID)
	if gv.CreatedBy != "tom" || gv.DeviceID != "tom-phone" || gv.SiteID != "riverside" || gv.ReceivedAt.IsZero() || gv.HappenedAt.IsZero() {
		t.Errorf("got visit meta %+v site %q, want made by tom on tom-phone at riverside, with both times", gv.Meta, gv.SiteID)
	}
	gc := tom.Commitment(c.ID)
	if gc.Status != housing.StatusOpen || gc.Version != 1 || gc.DueVersion != 1 || gc.OwnerVersion != 1 || gc.Household != "Mrs A Khan" || gc.Token != "" {
		t.Errorf("got status %q version %d/%d/%d household %q token %q, want the server's open v1 with the tenancy's household and no token",
			gc.Status, gc.Version, gc.DueVersion, gc.OwnerVersion, gc.Household, gc.Token)
	}
	if len(gc.History) != 1 || gc.History[0].Kind != housing.KindCommitmentMake || gc.History[0].By != "tom" {
		t.Errorf("got history %+v, want one made-by-tom event", gc.History)
	}
	if gc.CreatedBy != "tom" || gc.DeviceID != "tom-phone" || gc.ReceivedAt.IsZero() {
		t.Errorf("got commitment meta %+v", gc.Meta)
	}
}

func testComplaint(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	cara := NewDevice(t, svc, fx, "cara", "cara-phone")
	cara.PullAll()
	f := housing.Feedback{
		ID: NewID(), TenancyID: "riv1", SiteID: "riverside", Source: housing.SourceOfficer,
		Answers:   map[housing.Question]housing.Rating{housing.TP01: housing.VeryDissatisfied},
		Comment:   "Nobody came about the damp, three times.",
		Complaint: true,
	}
	resp := tom.Push(tom.Mutation(housing.KindFeedbackGive, f.ID, 0, f))
	wantResult(t, resp.Results[0], housing.ResultApplied, "")
	cara.PullAll()
	var routed []housing.Commitment
	for k := range cara.Records {
		if id, ok := strings.CutPrefix(k, "commitment/"); ok {
			routed = append(routed, cara.Commitment(id))
		}
	}
	if len(routed) != 1 {
		t.Fatalf("got %d promises on the complaints officer's phone, want 1", len(routed))
	}
	got := routed[0]
	if got.FunctionID != housing.FunctionComplaints || got.MadeBy != "tom" || got.Status != housing.StatusOpen || !strings.Contains(got.What, "damp") || !got.DueDate.Valid() {
		t.Errorf("got %+v, want an open complaints promise made by tom quoting the complaint", got)
	}
	if cara.Has(housing.RecordFeedback, f.ID) {
		t.Errorf("the feedback itself reached a complaints officer on another site")
	}
	tom.PullAll()
	if !tom.Has(housing.RecordFeedback, f.ID) || !tom.Has(housing.RecordCommitment, got.ID) {
		t.Errorf("tom lacks his feedback or the complaint's promise")
	}
}

func testDuplicateID(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	sue := NewDevice(t, svc, fx, "sue", "sue-phone")
	v := NewVisit(tom.P, fx.Tenancies["riv1"])
	tom.Push(tom.Mutation(housing.KindVisitRecord, v.ID, 0, v))
	// The same record sent again under a new number from the same device
	// is a duplicate; from another device it is refused.
	again := tom.Push(tom.Mutation(housing.KindVisitRecord, v.ID, 0, v))
	wantResult(t, again.Results[0], housing.ResultDuplicate, "")
	sv := v
	sv.OfficerID = "sue"
	other := sue.Push(sue.Mutation(housing.KindVisitRecord, v.ID, 0, sv))
	wantResult(t, other.Results[0], housing.ResultRejected, housing.CodeConflict)
	tom.PullAll()
	if got := tom.Visit(v.ID).OfficerID; got != "tom" {
		t.Errorf("got officer %q, want the first visit kept", got)
	}
}

func testBadCursor(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	for _, c := range []string{"garbage", "c1.", "c1.x.000000000000", "c1.-1.000000000000", "s1.0.000000000000.planet.", "c1.1", "c2.1.000000000000"} {
		t.Run(c, func(t *testing.T) {
			tom.Cursor = c
			_, err := tom.Send()
			wantCode(t, err, housing.CodeInvalid)
		})
	}
}

// testConcurrent sends many devices' batches at the same moment, with one
// batch sent twice at once (a retry racing the original) and one that skips
// numbers: every batch is answered on its own merits, each record is stored
// once, and each device's number is its own.
func testConcurrent(t *testing.T, svc housing.SyncService, fx Fixture) {
	const phones = 12
	type sent struct {
		resp housing.SyncResponse
		err  error
	}
	devices := make([]*Device, phones)
	batches := make([][]housing.Mutation, phones)
	for i := range devices {
		devices[i] = NewDevice(t, svc, fx, "tom", fmt.Sprintf("tom-phone-%d", i))
		for range 3 {
			v := NewVisit(devices[i].P, fx.Tenancies["riv1"])
			batches[i] = append(batches[i], devices[i].Mutation(housing.KindVisitRecord, v.ID, 0, v))
		}
	}
	gap := NewDevice(t, svc, fx, "tom", "tom-phone-gap")
	gap.Next = 5
	gv := NewVisit(gap.P, fx.Tenancies["riv1"])
	gapBatch := gap.Mutation(housing.KindVisitRecord, gv.ID, 0, gv)

	results := make([]sent, phones+2)
	var wg sync.WaitGroup
	start := make(chan struct{})
	send := func(slot int, d *Device, ms []housing.Mutation) {
		defer wg.Done()
		<-start
		results[slot].resp, results[slot].err = d.Send(ms...)
	}
	for i, d := range devices {
		wg.Add(1)
		go send(i, d, batches[i])
	}
	wg.Add(2)
	go send(phones, devices[0], batches[0]) // the retry racing the original
	go send(phones+1, gap, []housing.Mutation{gapBatch})
	close(start)
	wg.Wait()

	for i := 0; i < phones; i++ {
		if results[i].err != nil {
			t.Fatalf("phone %d: %v", i, results[i].err)
		}
		if results[i].resp.LastMutation != 3 {
			t.Errorf("phone %d: last_mutation %d, want 3", i, results[i].resp.LastMutation)
		}
	}
	original, retry := results[0].resp, results[phones].resp
	if results[phones].err != nil {
		t.Fatalf("retry: %v", results[phones].err)
	}
	for k := range 3 {
		statuses := []string{original.Results[k].Status, retry.Results[k].Status}
		slices.Sort(statuses)
		if statuses[0] != housing.ResultApplied || statuses[1] != housing.ResultDuplicate {
			t.Errorf("mutation %d sent twice at once: got %v, want one applied and one duplicate", k+1, statuses)
		}
	}
	wantCode(t, results[phones+1].err, housing.CodeGap)

	ada := NewDevice(t, svc, fx, "ada", "ada-phone")
	ada.PullAll()
	if got := ada.Count(housing.RecordVisit); got != 3*phones {
		t.Errorf("got %d visits stored, want %d: each once, and none from the batch with a gap", got, 3*phones)
	}
}

// testPromiseRun sends many new promises in one batch, as a day's outbox
// does: a run that is all good is stored whole, each promise once with its
// history; a run with bad promises in it still refuses each
// bad one with its reason and its attention item, and stores the rest.
func testPromiseRun(t *testing.T, svc housing.SyncService, fx Fixture) {
	tom := NewDevice(t, svc, fx, "tom", "tom-phone")
	var good []housing.Mutation
	var ids []string
	for range 12 {
		c := NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionRepairs)
		good = append(good, tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c))
		ids = append(ids, c.ID)
	}
	resp := tom.Push(good...)
	for _, r := range resp.Results {
		wantResult(t, r, housing.ResultApplied, "")
		if r.Version != 1 {
			t.Errorf("mutation %d: version %d, want 1", r.Seq, r.Version)
		}
	}

	stored := NewCommitment(tom.P, fx.Tenancies["riv2"], housing.FunctionRepairs)
	tom.Push(tom.Mutation(housing.KindCommitmentMake, stored.ID, 0, stored))
	undated := NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionRepairs)
	undated.DueDate = ""
	first := NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionIncome)
	sameLink := NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionIncome)
	sameLink.Token = first.Token
	nowhere := NewCommitment(tom.P, housing.Tenancy{ID: "no-such-tenancy", SiteID: "riverside"}, housing.FunctionRepairs)
	last := NewCommitment(tom.P, fx.Tenancies["riv2"], housing.FunctionTenancy)
	mixed := tom.Push(
		tom.Mutation(housing.KindCommitmentMake, first.ID, 0, first),
		tom.Mutation(housing.KindCommitmentMake, stored.ID, 0, stored), // sent again under a new number
		tom.Mutation(housing.KindCommitmentMake, undated.ID, 0, undated),
		tom.Mutation(housing.KindCommitmentMake, sameLink.ID, 0, sameLink),
		tom.Mutation(housing.KindCommitmentMake, nowhere.ID, 0, nowhere),
		tom.Mutation(housing.KindCommitmentMake, last.ID, 0, last),
	)
	wantResult(t, mixed.Results[0], housing.ResultApplied, "")
	wantResult(t, mixed.Results[1], housing.ResultDuplicate, "")
	wantResult(t, mixed.Results[2], housing.ResultRejected, housing.CodeInvalid)
	wantResult(t, mixed.Results[3], housing.ResultRejected, housing.CodeConflict)
	wantResult(t, mixed.Results[4], housing.ResultRejected, housing.CodeNotFound)
	wantResult(t, mixed.Results[5], housing.ResultApplied, "")

	// Two promises whose only fault is a tenant link already in use: only
	// the database can tell, and still only the second is refused.
	linked := NewCommitment(tom.P, fx.Tenancies["riv2"], housing.FunctionIncome)
	relinked := NewCommitment(tom.P, fx.Tenancies["riv2"], housing.FunctionIncome)
	relinked.Token = linked.Token
	links := tom.Push(
		tom.Mutation(housing.KindCommitmentMake, linked.ID, 0, linked),
		tom.Mutation(housing.KindCommitmentMake, relinked.ID, 0, relinked),
	)
	wantResult(t, links.Results[0], housing.ResultApplied, "")
	wantResult(t, links.Results[1], housing.ResultRejected, housing.CodeConflict)

	ada := NewDevice(t, svc, fx, "ada", "ada-phone")
	ada.PullAll()
	if got := ada.Count(housing.RecordCommitment); got != 16 {
		t.Errorf("got %d promises stored, want 16 (12 + 1 + 2 + 1)", got)
	}
	for _, id := range append(ids, first.ID, last.ID, linked.ID) {
		c := ada.Commitment(id)
		if c.Status != housing.StatusOpen || c.Version != 1 || len(c.History) != 1 || c.MadeByName == "" || c.Household == "" || c.ReceivedAt.IsZero() {
			t.Errorf("promise %s stored as %+v; want open at version 1, one history event, names filled in", id, c)
		}
	}
	for _, id := range []string{undated.ID, sameLink.ID, nowhere.ID, relinked.ID} {
		if ada.Has(housing.RecordCommitment, id) {
			t.Errorf("refused promise %s was stored", id)
		}
	}
	tom.PullAll()
	if got := len(tom.Attention()); got != 4 {
		t.Errorf("got %d attention items, want 4: one for each refused promise", got)
	}
	// The owning team hears of each new promise, wherever it was made.
	rita := NewDevice(t, svc, fx, "rita", "rita-phone")
	rita.PullAll()
	if got := rita.Count(housing.RecordCommitment); got != 13 {
		t.Errorf("rita (repairs) got %d promises, want the 13 repairs ones", got)
	}
}
