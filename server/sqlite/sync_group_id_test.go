package sqlite

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// TestGroupClaimsEachIDOnce writes, in one group commit, two devices'
// batches that make records of two kinds under one new ID, the second as a
// run of promises (the bulk path): the first is stored, the second refused
// as a conflict, and the ID names one record.
func TestGroupClaimsEachIDOnce(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fx := synctest.Seed(t, db.db)
	s := &SyncService{DB: db}
	tom, sue := fx.Principal("tom", "tom-phone"), fx.Principal("sue", "sue-phone")

	v := synctest.NewVisit(tom, fx.Tenancies["riv1"])
	c1 := synctest.NewCommitment(sue, fx.Tenancies["riv1"], housing.FunctionTenancy)
	c2 := synctest.NewCommitment(sue, fx.Tenancies["riv2"], housing.FunctionTenancy)
	c2.ID = v.ID
	mutation := func(seq int64, kind, id string, data any) housing.Mutation {
		raw, err := json.Marshal(data)
		if err != nil {
			t.Fatal(err)
		}
		return housing.Mutation{Seq: seq, Kind: kind, RecordID: id, HappenedAt: time.Now(), Data: raw}
	}
	job := func(p housing.Principal, ms ...housing.Mutation) *pushJob {
		req := housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: p.DeviceID, Mutations: ms}
		return &pushJob{ctx: ctx, p: p, req: req, decoded: decodeBatch(ms)}
	}
	first := job(tom, mutation(1, housing.KindVisitRecord, v.ID, v))
	second := job(sue, mutation(1, housing.KindCommitmentMake, c1.ID, c1), mutation(2, housing.KindCommitmentMake, c2.ID, c2))
	s.pushGroup([]*pushJob{first, second})

	for _, j := range []*pushJob{first, second} {
		if !j.done || j.err != nil {
			t.Fatalf("%s: done %v, error %v", j.p.OfficerID, j.done, j.err)
		}
	}
	if got := first.results[0].Status; got != housing.ResultApplied {
		t.Errorf("tom's visit: got %s, want applied", got)
	}
	if got := second.results; got[0].Status != housing.ResultApplied || got[1].Status != housing.ResultRejected || got[1].Code != housing.CodeConflict {
		t.Errorf("sue's run: got %+v, want the first promise applied and the second refused as a conflict", got)
	}
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM visits WHERE id = ?) + (SELECT COUNT(*) FROM commitments WHERE id = ?)`, v.ID, v.ID).Scan(&n); err != nil || n != 1 {
		t.Errorf("the ID names %d records (%v), want 1", n, err)
	}
}
