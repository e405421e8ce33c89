package housing_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"doorstep/shared/housing"
)

// The golden files in testdata pin the sync wire format: each decodes into
// its type with no unknown field and encodes back to the same bytes, so a
// renamed field or a changed omitempty fails here before it reaches a phone.
// docs/sync-protocol.md shows the same files as its examples.

var goldens = []struct {
	file string
	new  func() any
}{
	{"sync_request.json", func() any { return new(housing.SyncRequest) }},
	{"sync_response.json", func() any { return new(housing.SyncResponse) }},
	{"sync_response_snapshot.json", func() any { return new(housing.SyncResponse) }},
	{"sync_error_gap.json", func() any { return new(housing.ErrorBody) }},
	{"error_invalid_field.json", func() any { return new(housing.ErrorBody) }},
	{"error_unauthorized.json", func() any { return new(housing.ErrorBody) }},
}

func TestGoldenRoundTrip(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.file, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("testdata", g.file))
			if err != nil {
				t.Fatal(err)
			}
			v := g.new()
			dec := json.NewDecoder(bytes.NewReader(want))
			dec.DisallowUnknownFields()
			if err := dec.Decode(v); err != nil {
				t.Fatalf("decode: %v", err)
			}
			got, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if got = append(got, '\n'); !bytes.Equal(got, want) {
				t.Errorf("encoding differs from the golden file:\ngot\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// strictly decodes raw into v, refusing unknown fields.
func strictly(t *testing.T, raw json.RawMessage, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, raw)
	}
}

// TestGoldenPayloads checks that the records inside the golden files are
// records: each mutation's data fits its kind and is valid, and each
// change's data fits its record kind.
func TestGoldenPayloads(t *testing.T) {
	var req housing.SyncRequest
	data, _ := os.ReadFile("testdata/sync_request.json")
	strictly(t, data, &req)
	for _, m := range req.Mutations {
		if !slices.Contains(housing.MutationKinds, m.Kind) {
			t.Errorf("mutation %d: unknown kind %q", m.Seq, m.Kind)
		}
		switch m.Kind {
		case housing.KindVisitRecord:
			var v housing.Visit
			strictly(t, m.Data, &v)
			if err := v.Validate(); err != nil {
				t.Errorf("mutation %d: %v", m.Seq, err)
			}
		case housing.KindCommitmentMake:
			var c housing.Commitment
			strictly(t, m.Data, &c)
			if err := c.Validate(); err != nil {
				t.Errorf("mutation %d: %v", m.Seq, err)
			}
		case housing.KindFeedbackGive:
			var f housing.Feedback
			strictly(t, m.Data, &f)
			if err := f.Validate(); err != nil {
				t.Errorf("mutation %d: %v", m.Seq, err)
			}
		default:
			var a housing.CommitmentAction
			strictly(t, m.Data, &a)
		}
	}

	// sync_response.json answers sync_request.json: its patches apply to
	// the records that request sent.
	sent := housing.SentRecords(req.Mutations)
	for _, file := range []string{"sync_response.json", "sync_response_snapshot.json"} {
		var resp housing.SyncResponse
		data, _ := os.ReadFile(filepath.Join("testdata", file))
		strictly(t, data, &resp)
		for _, ch := range resp.Changes {
			if ch.Removed {
				if len(ch.Data) != 0 || len(ch.Patch) != 0 {
					t.Errorf("%s: removed %s %s carries data", file, ch.Kind, ch.ID)
				}
				continue
			}
			if len(ch.Data) > 0 && len(ch.Patch) > 0 {
				t.Errorf("%s: %s %s carries both data and a patch", file, ch.Kind, ch.ID)
			}
			record, err := ch.Record(sent)
			if err != nil {
				t.Errorf("%s: %v", file, err)
				continue
			}
			ch.Data = record
			var v any
			switch ch.Kind {
			case housing.RecordSite:
				v = new(housing.Site)
			case housing.RecordFunction:
				v = new(housing.Function)
			case housing.RecordOfficer:
				v = new(housing.Officer)
			case housing.RecordStandard:
				v = new(housing.Standard)
			case housing.RecordTenancy:
				v = new(housing.Tenancy)
			case housing.RecordVisit:
				v = new(housing.Visit)
			case housing.RecordCommitment:
				v = new(housing.Commitment)
			case housing.RecordFeedback:
				v = new(housing.Feedback)
			case housing.RecordAttention:
				v = new(housing.Attention)
			default:
				t.Fatalf("%s: unknown record kind %q", file, ch.Kind)
			}
			strictly(t, ch.Data, v)
			if c, ok := v.(*housing.Commitment); ok && c.Token != "" {
				t.Errorf("%s: commitment %s carries its tenant token", file, c.ID)
			}
		}
	}
}

// TestGoldenInDocs checks that docs/sync-protocol.md shows each golden file
// as it is, so the examples never drift from the format.
func TestGoldenInDocs(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "sync-protocol.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range goldens {
		data, err := os.ReadFile(filepath.Join("testdata", g.file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(doc), "```json\n"+string(data)+"```") {
			t.Errorf("docs/sync-protocol.md does not show testdata/%s verbatim in a json block", g.file)
		}
	}
}

// TestErrorBodyGapFromOne checks that a gap answer says last_mutation even
// when it is 0, so a device whose first batch was lost resends from 1, and
// that no other answer carries it.
func TestErrorBodyGapFromOne(t *testing.T) {
	tests := []struct {
		name string
		err  *housing.Error
		want string
	}{
		{"GapFromOne", &housing.Error{Code: housing.CodeGap, Message: "Send again from 1.", LastMutation: 0},
			`{"code":"gap","message":"Send again from 1.","last_mutation":0}`},
		{"Gap", &housing.Error{Code: housing.CodeGap, Message: "Send again from 45.", LastMutation: 44},
			`{"code":"gap","message":"Send again from 45.","last_mutation":44}`},
		{"Invalid", housing.Invalid(housing.FieldWhat, "Say what was promised, in plain words."),
			`{"code":"invalid","message":"Say what was promised, in plain words.","field":"what"}`},
		{"Unauthorized", housing.Errorf(housing.CodeUnauthorized, "Sign in again."),
			`{"code":"unauthorized","message":"Sign in again."}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.err.Body())
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			var back housing.ErrorBody
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			if e := back.Err(); e.Code != tt.err.Code || e.Message != tt.err.Message || e.Field != tt.err.Field || e.LastMutation != tt.err.LastMutation {
				t.Errorf("got %+v back, want %+v", e, tt.err)
			}
		})
	}
}
