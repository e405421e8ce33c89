package sqlite_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// TestRecordIDClaimedByDatabase checks that the database itself refuses a
// second record under an ID in use, of another kind, whichever code writes
// it: here a feedback row inserted directly, bypassing the sync service.
func TestRecordIDClaimedByDatabase(t *testing.T) {
	ctx := context.Background()
	db := demotest.Empty(t)
	fx := synctest.Seed(t, db.SQL())
	svc := &sqlite.SyncService{DB: db}
	tom := fx.Principal("tom", "tom-phone")
	v := synctest.NewVisit(tom, fx.Tenancies["riv1"])
	m := housing.Mutation{Seq: 1, Kind: housing.KindVisitRecord, RecordID: v.ID, HappenedAt: time.Now(), Data: mustMarshal(t, v)}
	resp, err := svc.Sync(ctx, tom, housing.SyncRequest{Protocol: housing.ProtocolVersion, DeviceID: tom.DeviceID, Mutations: []housing.Mutation{m}})
	if err != nil || resp.Results[0].Status != housing.ResultApplied {
		t.Fatalf("store the visit: %v %+v", err, resp.Results)
	}
	_, err = db.SQL().ExecContext(ctx, `INSERT INTO feedback (id, tenancy_id, site_id, source, created_by, device_id, received_at)
		VALUES (?, 'riv1', 'riverside', 'officer', 'tom', 'tom-phone', '2026-11-23T10:00:00Z')`, v.ID)
	if err == nil {
		t.Fatalf("the database stored feedback under a visit's ID")
	}
	var n int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM feedback WHERE id = ?`, v.ID).Scan(&n); err != nil || n != 0 {
		t.Fatalf("got %d feedback rows under the visit's ID (%v), want 0", n, err)
	}
}

func mustMarshal(t *testing.T, v any) json.RawMessage {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
