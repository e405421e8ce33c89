package housing_test

import (
	"encoding/json"
	"testing"
	"time"

	"doorstep/shared/housing"
)

func TestChangeRecord(t *testing.T) {
	start := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	sent := housing.Commitment{ID: "c1", TenancyID: "t1", SiteID: "wrong", MadeBy: "sarah", FunctionID: "repairs",
		What: "Fix the tap", DueDate: "2026-12-04", Token: "secret", Meta: housing.Meta{CreatedBy: "sarah", DeviceID: "d1", HappenedAt: start}}
	stored := sent
	stored.SiteID, stored.Token, stored.Version, stored.ReceivedAt = "riverside", "", 1, start.Add(time.Hour)
	want, _ := json.Marshal(stored)
	base, _ := json.Marshal(sent)
	made := map[string]json.RawMessage{"commitment/c1": base}

	tests := []struct {
		name    string
		ch      housing.Change
		want    string
		wantErr bool
	}{
		{"Whole", housing.Change{Kind: housing.RecordCommitment, ID: "c1", Data: want}, string(want), false},
		{"Patch", housing.Change{Kind: housing.RecordCommitment, ID: "c1",
			Patch: json.RawMessage(`{"site_id":"riverside","token":null,"version":1,"received_at":"2026-11-23T10:30:00Z"}`)}, string(want), false},
		{"ErrNotSent", housing.Change{Kind: housing.RecordCommitment, ID: "c2", Patch: json.RawMessage(`{"version":1}`)}, "", true},
		{"ErrSentAsAnotherKind", housing.Change{Kind: housing.RecordVisit, ID: "c1", Patch: json.RawMessage(`{"version":1}`)}, "", true},
		{"ErrNotAnObject", housing.Change{Kind: housing.RecordCommitment, ID: "c1", Patch: json.RawMessage(`[1]`)}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.ch.Record(made)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if string(got) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestSentRecords(t *testing.T) {
	ms := []housing.Mutation{
		{Seq: 1, Kind: housing.KindVisitRecord, RecordID: "v1", Data: json.RawMessage(`{"id":"v1","notes":"first"}`)},
		{Seq: 2, Kind: housing.KindVisitRecord, RecordID: "v1", Data: json.RawMessage(`{"id":"v1","notes":"again"}`)},
		{Seq: 3, Kind: housing.KindFeedbackGive, RecordID: "v1", Data: json.RawMessage(`{"id":"v1"}`)},
		{Seq: 4, Kind: housing.KindCommitmentAcknowledge, RecordID: "c1", Data: json.RawMessage(`{}`)},
	}
	got := housing.SentRecords(ms)
	if len(got) != 2 || string(got["visit/v1"]) != `{"id":"v1","notes":"first"}` || string(got["feedback/v1"]) != `{"id":"v1"}` {
		t.Errorf("got %s, want the first visit v1 and the feedback v1, and nothing for an action", got)
	}
}
