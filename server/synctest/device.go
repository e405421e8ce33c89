package synctest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"doorstep/shared/housing"
)

// Device is a phone as the contract sees it: one principal, its next
// mutation number, its cursor and the records it has pulled. It is a
// deliberately simple replica: the contract checks the server, not the
// client.
type Device struct {
	t       *testing.T
	svc     housing.SyncService
	P       housing.Principal
	Next    int64  // the number its next mutation gets
	Cursor  string // where its pull stands
	Records map[string]json.RawMessage
	Pages   int // pull responses received, for paging tests
	Patched int // changes received as patches on what the device sent
	// WholeRecords makes the device an app from before patches: it does
	// not ask for them, and must get its own records back whole.
	WholeRecords bool
}

// NewDevice returns a fresh device for officer name with the given device ID.
func NewDevice(t *testing.T, svc housing.SyncService, fx Fixture, name, id string) *Device {
	return &Device{t: t, svc: svc, P: fx.Principal(name, id), Next: 1, Records: map[string]json.RawMessage{}}
}

// Mutation returns the device's next mutation of kind on record id, with
// data encoded as JSON, and advances its numbering.
func (d *Device) Mutation(kind, id string, base int, data any) housing.Mutation {
	d.t.Helper()
	raw, err := json.Marshal(data)
	if err != nil {
		d.t.Fatalf("encode mutation data: %v", err)
	}
	m := housing.Mutation{Seq: d.Next, Kind: kind, RecordID: id, BaseVersion: base, HappenedAt: time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC), Data: raw}
	d.Next++
	return m
}

// Send sends one request with ms and the device's cursor, and returns the
// response and error as they came.
func (d *Device) Send(ms ...housing.Mutation) (housing.SyncResponse, error) {
	if ms == nil {
		ms = []housing.Mutation{}
	}
	return d.svc.Sync(context.Background(), d.P, housing.SyncRequest{
		Protocol: housing.ProtocolVersion, DeviceID: d.P.DeviceID, Cursor: d.Cursor, Patches: !d.WholeRecords, Mutations: ms,
	})
}

// Push sends ms, fails the test on an error, applies the pulled page and
// returns the response.
func (d *Device) Push(ms ...housing.Mutation) housing.SyncResponse {
	d.t.Helper()
	resp, err := d.Send(ms...)
	if err != nil {
		d.t.Fatalf("%s: sync: %v", d.P.OfficerID, err)
	}
	if got, want := len(resp.Results), len(ms); got != want {
		d.t.Fatalf("%s: got %d results, want %d", d.P.OfficerID, got, want)
	}
	d.apply(resp, ms)
	return resp
}

// PullAll pulls until the server has nothing more.
func (d *Device) PullAll() {
	d.t.Helper()
	for i := 0; ; i++ {
		if i > 10000 {
			d.t.Fatalf("%s: pull never ended", d.P.OfficerID)
		}
		resp := d.Push()
		if !resp.HasMore {
			return
		}
	}
}

// apply stores what resp pulled; ms is the request's mutations, on which
// the device's own records come back as patches.
func (d *Device) apply(resp housing.SyncResponse, ms []housing.Mutation) {
	d.t.Helper()
	d.Pages++
	if resp.Reset {
		d.Records = map[string]json.RawMessage{}
	}
	sent := housing.SentRecords(ms)
	for _, ch := range resp.Changes {
		key := ch.Kind + "/" + ch.ID
		if ch.Removed {
			delete(d.Records, key)
			continue
		}
		if len(ch.Data) > 0 && len(ch.Patch) > 0 {
			d.t.Fatalf("%s: change %s carries both data and a patch", d.P.OfficerID, key)
		}
		if d.WholeRecords && len(ch.Patch) > 0 {
			d.t.Fatalf("%s: change %s came as a patch to a device that did not ask for patches", d.P.OfficerID, key)
		}
		data, err := ch.Record(sent)
		if err != nil {
			d.t.Fatalf("%s: change %s: %v", d.P.OfficerID, key, err)
		}
		if !json.Valid(data) {
			d.t.Fatalf("%s: change %s carries invalid JSON", d.P.OfficerID, key)
		}
		d.Records[key] = data
		if len(ch.Patch) > 0 {
			d.Patched++
		}
	}
	if resp.Cursor == "" {
		d.t.Fatalf("%s: got an empty cursor", d.P.OfficerID)
	}
	d.Cursor = resp.Cursor
}

// Has reports whether the device holds record kind/id.
func (d *Device) Has(kind, id string) bool {
	_, ok := d.Records[kind+"/"+id]
	return ok
}

// Count returns how many records of kind the device holds.
func (d *Device) Count(kind string) int {
	n := 0
	for k := range d.Records {
		if len(k) > len(kind) && k[:len(kind)+1] == kind+"/" {
			n++
		}
	}
	return n
}

// Commitment returns the device's copy of commitment id.
func (d *Device) Commitment(id string) housing.Commitment {
	d.t.Helper()
	var c housing.Commitment
	d.decode(housing.RecordCommitment, id, &c)
	return c
}

// Visit returns the device's copy of visit id.
func (d *Device) Visit(id string) housing.Visit {
	d.t.Helper()
	var v housing.Visit
	d.decode(housing.RecordVisit, id, &v)
	return v
}

// Attention returns the device's attention items.
func (d *Device) Attention() []housing.Attention {
	d.t.Helper()
	var out []housing.Attention
	for k, raw := range d.Records {
		if len(k) > 10 && k[:10] == "attention/" {
			var a housing.Attention
			if err := json.Unmarshal(raw, &a); err != nil {
				d.t.Fatalf("decode attention: %v", err)
			}
			out = append(out, a)
		}
	}
	return out
}

func (d *Device) decode(kind, id string, v any) {
	d.t.Helper()
	raw, ok := d.Records[kind+"/"+id]
	if !ok {
		d.t.Fatalf("%s: has no %s %s", d.P.OfficerID, kind, id)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		d.t.Fatalf("decode %s %s: %v", kind, id, err)
	}
}

// NewID returns a fresh UUIDv7, as a device makes.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// NewVisit returns a valid visit by p at tenancy t.
func NewVisit(p housing.Principal, t housing.Tenancy) housing.Visit {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	return housing.Visit{
		ID: NewID(), TenancyID: t.ID, OfficerID: p.OfficerID, SiteID: t.SiteID,
		Purpose: housing.PurposeWelfareCheck, Notes: "All well.", StartedAt: start, EndedAt: start.Add(20 * time.Minute),
	}
}

// NewCommitment returns a valid promise by p at tenancy t, owned by
// function, with a tenant link token.
func NewCommitment(p housing.Principal, t housing.Tenancy, function string) housing.Commitment {
	return housing.Commitment{
		ID: NewID(), TenancyID: t.ID, SiteID: t.SiteID, Household: t.Household, Address: t.Address,
		MadeBy: p.OfficerID, MadeByName: p.Name, FunctionID: function,
		What: "Fix the kitchen tap", DueDate: "2026-12-04", Token: housing.NewToken(),
	}
}
