package api

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"doorstep/shared/housing"
)

// TestEncodeSyncResponse checks that the fast encoder writes what
// json.Marshal writes, byte for byte.
func TestEncodeSyncResponse(t *testing.T) {
	golden := func(name string) housing.SyncResponse {
		b, err := os.ReadFile(filepath.Join("..", "..", "shared", "housing", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		var r housing.SyncResponse
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		// As the store sends them: compact.
		for i, ch := range r.Changes {
			var buf bytes.Buffer
			if len(ch.Data) > 0 {
				json.Compact(&buf, ch.Data)
				r.Changes[i].Data = buf.Bytes()
			}
			if len(ch.Patch) > 0 {
				var p bytes.Buffer
				json.Compact(&p, ch.Patch)
				r.Changes[i].Patch = p.Bytes()
			}
		}
		return r
	}
	data, _ := json.Marshal(housing.Visit{ID: "x", Notes: `<b>"quoted" & more</b>`})
	tests := []struct {
		name string
		resp housing.SyncResponse
	}{
		{"Golden", golden("sync_response.json")},
		{"Snapshot", golden("sync_response_snapshot.json")},
		{"NoChanges", housing.SyncResponse{Protocol: 1, Results: []housing.Result{}, Changes: []housing.Change{}, Cursor: "c1.0.000000000000"}},
		{"NilChanges", housing.SyncResponse{Protocol: 1}},
		{"EscapedText", housing.SyncResponse{Protocol: 1, Changes: []housing.Change{
			{Seq: 3, Kind: housing.RecordVisit, ID: `a"<b>`, Data: data},
			{Seq: 4, Kind: housing.RecordCommitment, ID: "y", Removed: true},
		}, Results: []housing.Result{{Seq: 1, Status: housing.ResultRejected, Reason: `"changes":null`}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := json.Marshal(tt.resp)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			buf.WriteString("left over from the last answer")
			buf.Reset()
			if err := encodeSyncResponse(&buf, tt.resp); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			if !bytes.Equal(got, want) {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}
