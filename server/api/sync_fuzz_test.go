package api_test

import (
	"bytes"
	"compress/gzip"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"doorstep/server/api"
	"doorstep/shared/housing"
)

// FuzzSyncRequest sends arbitrary bodies to POST /api/v1/sync, plain or
// gzip-compressed, as a signed-in officer. Whatever arrives, the answer is
// never a 5xx; a 4xx is a JSON {code, message} and leaves the database
// exactly as it was; a 200 is a well-formed response with one result per
// mutation. The seed corpus (f.Add below and testdata/fuzz/FuzzSyncRequest)
// runs in every go test; make test also fuzzes it briefly.
func FuzzSyncRequest(f *testing.F) {
	seeds := []string{
		`{"protocol":1,"device_id":"tom-phone","cursor":"","mutations":[]}`,
		`{"protocol":1,"device_id":"tom-phone","cursor":"c1.0.000000000000","mutations":[]}`,
		`{"protocol":1,"device_id":"tom-phone","cursor":"s1.0.000000000000.site.","mutations":[]}`,
		`{"protocol":1,"device_id":"tom-phone","mutations":[{"seq":1,"kind":"visit.record","record_id":"0193a1b2-0000-7000-8000-000000000001","happened_at":"2026-11-23T09:00:00Z","data":{"id":"0193a1b2-0000-7000-8000-000000000001","tenancy_id":"riv1","officer_id":"tom","site_id":"riverside","purpose":"welfare_check","started_at":"2026-11-23T09:00:00Z"}}]}`,
		`{"protocol":1,"device_id":"tom-phone","mutations":[{"seq":1,"kind":"commitment.make","record_id":"0193a1b2-0000-7000-8000-000000000002","happened_at":"2026-11-23T09:00:00Z","data":{"id":"0193a1b2-0000-7000-8000-000000000002","tenancy_id":"riv1","site_id":"riverside","made_by":"tom","function_id":"repairs","what":"Fix the tap","due_date":"2026-12-04"}}]}`,
		`{"protocol":1,"device_id":"tom-phone","mutations":[{"seq":1,"kind":"commitment.extend","record_id":"0193a1b2-0000-7000-8000-000000000002","base_version":1,"happened_at":"2026-11-23T09:00:00Z","data":{"due_date":"2026-02-30","reason":"x"}}]}`,
		`{"protocol":1,"device_id":"tom-phone","mutations":[{"seq":1,"kind":"feedback.give","record_id":"0193a1b2-0000-7000-8000-000000000003","happened_at":"2026-11-23T09:00:00Z","data":{"id":"0193a1b2-0000-7000-8000-000000000003","tenancy_id":"riv1","site_id":"riverside","source":"officer","answers":{"TP01":"very_satisfied"}}}]}`,
		`{"protocol":1,"device_id":"tom-phone","mutations":[{"seq":7,"kind":"visit.record","data":null}]}`,
		`{"protocol":1,"device_id":"tom-phone","mutations":[{"seq":1,"kind":"x","data":"\u0000"},{"seq":3}]}`,
		`{"protocol":2,"device_id":"tom-phone"}`,
		`{"protocol":1,"device_id":"someone-else"}`,
		`{"protocol":1,"device_id":"tom-phone","cursor":"c1.99999999999999999999.x"}`,
		`{"protocol":1,"device_id":"tom-phone","mutations":[{"seq":-1}]}`,
		`{"protocol":1,"device_id":"tom-phone","mutations":[{"seq":1,"happened_at":"yesterday"}]}`,
		`[]`, `null`, `{}`, ``, `{"protocol":1e400}`, `{"protocol":1,"device_id":"tom-phone"}{"x":1}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Add([]byte{0x1f, 0x8b, 0x08, 0x00}, false)

	e, db, _ := newSyncHandler(f, 0)
	tom := housing.Principal{OfficerID: "tom", Name: "Tom Okafor", Role: housing.RoleOfficer,
		Sites: []string{"riverside"}, Functions: []string{housing.FunctionTenancy}, DeviceID: "tom-phone"}
	token := testToken(tom)

	f.Fuzz(func(t *testing.T, body []byte, compress bool) {
		before := dbState(t, db.SQL())
		if compress {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write(body)
			zw.Close()
			body = buf.Bytes()
		}
		req := httptest.NewRequest(http.MethodPost, api.SyncPath, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		if compress {
			req.Header.Set("Content-Encoding", "gzip")
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)

		switch {
		case rec.Code >= 500:
			t.Fatalf("got %d %s", rec.Code, rec.Body)
		case rec.Code >= 400:
			var eb struct{ Code, Message string }
			if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil || eb.Code == "" || eb.Message == "" {
				t.Fatalf("got %d with body %q, want a JSON {code, message}", rec.Code, rec.Body)
			}
			if after := dbState(t, db.SQL()); after != before {
				t.Fatalf("a %d (%s) changed the database:\nbefore %+v\nafter  %+v", rec.Code, eb.Code, before, after)
			}
		case rec.Code == 200:
			var resp housing.SyncResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
				t.Fatalf("got 200 with a body that is not a sync response: %v", err)
			}
			var sent housing.SyncRequest
			json.Unmarshal(plain(t, body, compress), &sent)
			if len(resp.Results) != len(sent.Mutations) || resp.Cursor == "" {
				t.Fatalf("got %d results for %d mutations, cursor %q", len(resp.Results), len(sent.Mutations), resp.Cursor)
			}
			for _, r := range resp.Results {
				if r.Status == housing.ResultRejected && (r.Code == "" || r.Reason == "") {
					t.Fatalf("got a rejection without code and reason: %+v", r)
				}
			}
		default:
			t.Fatalf("got unexpected status %d", rec.Code)
		}
	})
}

func plain(t *testing.T, body []byte, compressed bool) []byte {
	if !compressed {
		return body
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.ReadFrom(zr)
	return buf.Bytes()
}

// state is a digest of everything sync writes.
type state struct {
	Changes, Devices, LastSum, Visits, Commitments, Events, Feedback, Attention int64
}

func dbState(t *testing.T, db *sql.DB) state {
	t.Helper()
	var s state
	err := db.QueryRow(`SELECT
		(SELECT COALESCE(MAX(seq), 0) FROM changes), (SELECT COUNT(*) FROM devices),
		(SELECT COALESCE(SUM(last_mutation), 0) FROM devices), (SELECT COUNT(*) FROM visits),
		(SELECT COUNT(*) FROM commitments), (SELECT COUNT(*) FROM commitment_events),
		(SELECT COUNT(*) FROM feedback), (SELECT COUNT(*) FROM attention)`).
		Scan(&s.Changes, &s.Devices, &s.LastSum, &s.Visits, &s.Commitments, &s.Events, &s.Feedback, &s.Attention)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
