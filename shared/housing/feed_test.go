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

// feedTypes are every feed event type, in the order docs/events.md tells
// them; each has its example, testdata/feed_<type>.json, written from the
// real server by server/sqlite's TestFeedExamples.
var feedTypes = []string{
	housing.FeedPromiseMade, housing.FeedPromisePickedUp, housing.FeedPromiseExtended, housing.FeedPromiseReassigned,
	housing.FeedPromiseEscalated, housing.FeedPromiseDone, housing.FeedPromiseKept, housing.FeedPromiseDisputed,
	housing.FeedPromiseBroken, housing.FeedPromiseCancelled, housing.FeedComplaintMade, housing.FeedFeedbackGiven,
}

// feedGoldens are the events feed's examples: a page, and an event of
// every type.
func feedGoldens() []struct {
	file string
	new  func() any
} {
	out := []struct {
		file string
		new  func() any
	}{{"feed_page.json", func() any { return new(housing.FeedPage) }}}
	for _, typ := range feedTypes {
		out = append(out, struct {
			file string
			new  func() any
		}{"feed_" + strings.ReplaceAll(typ, ".", "_") + ".json", func() any { return new(housing.FeedEvent) }})
	}
	return out
}

// TestFeedGoldens checks that each of the feed's examples decodes into its
// type with no unknown field and encodes back to the same bytes, that each
// event example is of the type its name says, and that docs/events.md
// shows each verbatim, so the page, the types and the server never drift
// apart.
func TestFeedGoldens(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "events.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range feedGoldens() {
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
			if e, ok := v.(*housing.FeedEvent); ok {
				if name := "feed_" + strings.ReplaceAll(e.Type, ".", "_") + ".json"; name != g.file {
					t.Errorf("%s holds a %s event", g.file, e.Type)
				}
				if e.Commitment != nil && (e.Commitment.Token != "" || len(e.Commitment.History) > 0) {
					t.Errorf("%s: the promise carries its link token or history", g.file)
				}
			}
			if !strings.Contains(string(doc), "```json\n"+string(want)+"```") {
				t.Errorf("docs/events.md does not show testdata/%s verbatim in a json block", g.file)
			}
		})
	}
	for _, typ := range feedTypes {
		if !strings.Contains(string(doc), "### `"+typ+"`") {
			t.Errorf("docs/events.md has no section for %s", typ)
		}
	}
}

// TestNewIntegrationToken checks the rule for a new token: its cleaning,
// and each refusal with the field it is about.
func TestNewIntegrationToken(t *testing.T) {
	got := housing.NewIntegrationToken{Name: "  Repairs system ", Teams: []string{" repairs", "income", "", "repairs"}}.Clean()
	if got.Name != "Repairs system" || !slices.Equal(got.Teams, []string{"repairs", "income"}) {
		t.Errorf("cleaned to %+v", got)
	}
	for _, tt := range []struct {
		name  string
		in    housing.NewIntegrationToken
		field string
	}{
		{"OK", housing.NewIntegrationToken{Name: "Repairs system", Teams: []string{"repairs", "income"}}, ""},
		{"OKEveryTeam", housing.NewIntegrationToken{Name: "Data warehouse", Teams: []string{housing.AllTeams}}, ""},
		{"ErrNoName", housing.NewIntegrationToken{Teams: []string{"repairs"}}, housing.FieldName},
		{"ErrLongName", housing.NewIntegrationToken{Name: strings.Repeat("x", housing.MaxTokenName+1), Teams: []string{"repairs"}}, housing.FieldName},
		{"ErrBidiName", housing.NewIntegrationToken{Name: "Repairs \u202esystem", Teams: []string{"repairs"}}, housing.FieldName},
		{"ErrNoTeams", housing.NewIntegrationToken{Name: "Repairs system"}, housing.FieldTeams},
		{"ErrEveryTeamAndOne", housing.NewIntegrationToken{Name: "Repairs system", Teams: []string{"repairs", housing.AllTeams}}, housing.FieldTeams},
		{"ErrNotATeamID", housing.NewIntegrationToken{Name: "Repairs system", Teams: []string{"Repairs"}}, housing.FieldTeams},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Validate()
			if got := housing.ErrorField(err); got != tt.field || (tt.field == "") != (err == nil) {
				t.Errorf("got %v (field %q), want field %q", err, got, tt.field)
			}
		})
	}
}
