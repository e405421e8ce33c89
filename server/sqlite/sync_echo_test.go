package sqlite

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"doorstep/shared/housing"
)

// TestEchoPatchRoundTrip checks that what the server sends as a patch, the
// device turns back into the record exactly as the server holds it.
func TestEchoPatchRoundTrip(t *testing.T) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	stored, _ := json.Marshal(housing.Visit{ID: "v1", TenancyID: "t1", OfficerID: "sarah", SiteID: "riverside", Purpose: housing.PurposeWelfareCheck,
		StartedAt: start, Meta: housing.Meta{CreatedBy: "sarah", DeviceID: "d1", HappenedAt: start.Add(30 * time.Minute), ReceivedAt: start.Add(100 * time.Minute)}})
	current := string(stored) // as the server stores it
	tests := []struct {
		name, sent string
		ok         bool
	}{
		{"SameButReceived", `{"id":"v1","tenancy_id":"t1","officer_id":"sarah","site_id":"riverside","purpose":"welfare_check","started_at":"2026-11-23T09:00:00Z","created_by":"sarah","device_id":"d1","happened_at":"2026-11-23T09:30:00Z"}`, true},
		{"CorrectedAndExtraField", `{"id":"v1","tenancy_id":"t1","site_id":"hillside","extra":[1,2],"purpose":"welfare_check","created_by":"someone"}`, true},
		{"NotAnObject", `"a visit"`, false},
		{"Garbage", `{`, false},
		{"BadLiteral", `{"id":"v1","notes":tru}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			patch, ok := echoPatch(json.RawMessage(tt.sent), json.RawMessage(current))
			if ok != tt.ok {
				t.Fatalf("got ok %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			ch := housing.Change{Kind: housing.RecordVisit, ID: "v1", Patch: patch}
			got, err := ch.Record(map[string]json.RawMessage{"visit/v1": json.RawMessage(tt.sent)})
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != current {
				t.Errorf("the device rebuilt\n%s\nwant\n%s\nfrom patch %s", got, current, patch)
			}
		})
	}
	if _, ok := echoPatch(json.RawMessage(`{"a":1}`), json.RawMessage(`{"a":null}`)); ok {
		t.Errorf("a record with a null field went as a patch, which would remove the field")
	}
}

func TestTopFields(t *testing.T) {
	tests := []struct {
		in   string
		want []string // key=value
		ok   bool
	}{
		{`{}`, nil, true},
		{` { "a" : 1 , "b":"x,}\"y", "c":{"d":[1,{"e":"]"}]}, "f":[] , "g":true} `, []string{`a=1`, `b="x,}\"y"`, `c={"d":[1,{"e":"]"}]}`, `f=[]`, `g=true`}, true},
		{`{"a":1,}`, nil, false},
		{`{"a":1,"a":2}`, nil, false},
		{`{"a\u0062":1}`, nil, false},
		{`{"a":}`, nil, false},
		{`{"a":"unterminated}`, nil, false},
		{`{"a":[1,2}`, nil, false},
		{`{"a":1} trailing`, nil, false},
		{`[1]`, nil, false},
		{``, nil, false},
	}
	for _, tt := range tests {
		fs, ok := topFields([]byte(tt.in), nil)
		if ok != tt.ok {
			t.Errorf("%s: got ok %v, want %v", tt.in, ok, tt.ok)
			continue
		}
		var got []string
		for _, f := range fs {
			got = append(got, string(f.key)+"="+string(f.value))
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzEchoPatch checks, for anything a device might have sent, that a
// patch the server makes turns it back into the record as the server holds
// it on the device, or that the server sends the record whole.
func FuzzEchoPatch(f *testing.F) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	stored, _ := json.Marshal(housing.Commitment{ID: "c1", TenancyID: "t1", SiteID: "riverside", MadeBy: "sarah", FunctionID: "repairs",
		What: `Fix the "tap", and {the} [sink]`, DueDate: "2026-12-04", Status: housing.StatusOpen, Version: 1, DueVersion: 1, OwnerVersion: 1,
		History: []housing.Event{{Kind: housing.KindCommitmentMake, At: start, By: "sarah", To: "2026-12-04"}},
		Meta:    housing.Meta{CreatedBy: "sarah", DeviceID: "d1", HappenedAt: start, ReceivedAt: start.Add(time.Hour)}})
	f.Add(string(stored))
	f.Add(`{"id":"c1","what":"Fix the \"tap\"","version":0,"token":"abc","history":[{"at":"x"}]}`)
	f.Add(`{"id":"c1","status":"open" , "version" : 1 }`)
	f.Add(`{"a":{"b":[1,"]}"]},"c":null}`)
	f.Fuzz(func(t *testing.T, sent string) {
		patch, ok := echoPatch(json.RawMessage(sent), stored)
		if !ok {
			return
		}
		ch := housing.Change{Kind: housing.RecordCommitment, ID: "c1", Patch: patch}
		got, err := ch.Record(map[string]json.RawMessage{"commitment/c1": json.RawMessage(sent)})
		if err != nil {
			t.Fatalf("the device cannot apply the patch %s to %s: %v", patch, sent, err)
		}
		if string(got) != string(stored) {
			t.Fatalf("from %s and patch %s the device rebuilt\n%s\nwant\n%s", sent, patch, got, stored)
		}
	})
}
