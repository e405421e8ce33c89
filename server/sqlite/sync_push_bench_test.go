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

// BenchmarkPushPromises pushes 5,000 new promises from one caught-up
// device in batches of housing.MaxMutationsPerBatch, each answer carrying
// the pull that follows, as a phone's sync does; it is the server's side
// of BenchmarkSync10k without HTTP (and so without encoding and
// compressing the answers).
func BenchmarkPushPromises(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := demotest.Empty(b)
		fx := synctest.Seed(b, db.SQL())
		svc := &sqlite.SyncService{DB: db}
		p := fx.Principal("tom", "tom-phone")
		cursor := ""
		for more := true; more; {
			resp, err := svc.Sync(ctx, p, housing.SyncRequest{Protocol: 1, DeviceID: p.DeviceID, Cursor: cursor, Mutations: []housing.Mutation{}})
			if err != nil {
				b.Fatal(err)
			}
			cursor, more = resp.Cursor, resp.HasMore
		}
		const n = 5000
		ms := make([]housing.Mutation, n)
		for j := range ms {
			c := synctest.NewCommitment(p, fx.Tenancies["riv1"], housing.FunctionRepairs)
			data, _ := json.Marshal(c)
			ms[j] = housing.Mutation{Seq: int64(j + 1), Kind: housing.KindCommitmentMake, RecordID: c.ID, HappenedAt: time.Now(), Data: data}
		}
		b.StartTimer()
		for len(ms) > 0 {
			k := min(len(ms), housing.MaxMutationsPerBatch)
			resp, err := svc.Sync(ctx, p, housing.SyncRequest{Protocol: 1, DeviceID: p.DeviceID, Cursor: cursor, Mutations: ms[:k]})
			if err != nil {
				b.Fatal(err)
			}
			cursor = resp.Cursor
			ms = ms[k:]
		}
		b.StopTimer()
		db.Close()
	}
}
