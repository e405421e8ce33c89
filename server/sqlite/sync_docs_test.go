package sqlite_test

import (
	"encoding/json"
	"testing"

	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// TestSyncDocFallback checks that a record stored before the doc column
// existed (an empty doc) is sent exactly as one stored with it.
func TestSyncDocFallback(t *testing.T) {
	db := demotest.Empty(t)
	fx := synctest.Seed(t, db.SQL())
	svc := &sqlite.SyncService{DB: db}
	tom := synctest.NewDevice(t, svc, fx, "tom", "tom-phone")
	v := synctest.NewVisit(tom.P, fx.Tenancies["riv1"])
	c := synctest.NewCommitment(tom.P, fx.Tenancies["riv1"], housing.FunctionRepairs)
	f := housing.Feedback{ID: synctest.NewID(), TenancyID: "riv1", SiteID: "riverside", Source: housing.SourceOfficer,
		Answers: map[housing.Question]housing.Rating{housing.TP01: housing.VerySatisfied, housing.TP07: housing.Neither}, Comment: "Thanks"}
	tom.Push(
		tom.Mutation(housing.KindVisitRecord, v.ID, 0, v),
		tom.Mutation(housing.KindCommitmentMake, c.ID, 0, c),
		tom.Mutation(housing.KindCommitmentExtend, c.ID, 1, housing.CommitmentAction{DueDate: "2026-12-11", Reason: "Parts on order"}),
		tom.Mutation(housing.KindFeedbackGive, f.ID, 0, f),
	)
	stored := synctest.NewDevice(t, svc, fx, "sue", "sue-phone")
	stored.PullAll()

	for _, table := range []string{"visits", "commitments", "feedback"} {
		if _, err := db.SQL().Exec(`UPDATE ` + table + ` SET doc = ''`); err != nil {
			t.Fatal(err)
		}
	}
	built := synctest.NewDevice(t, svc, fx, "sue", "sue-laptop")
	built.PullAll()

	for _, key := range []string{"visit/" + v.ID, "commitment/" + c.ID, "feedback/" + f.ID} {
		want, got := stored.Records[key], built.Records[key]
		if want == nil || !jsonEqual(t, got, want) {
			t.Errorf("%s built from columns:\n%s\nwant as stored:\n%s", key, got, want)
		}
	}
}

func jsonEqual(t *testing.T, a, b json.RawMessage) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}
