package replica

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"

	"doorstep/shared/housing"
)

// index is what the screens ask of the records, kept beside them so that no
// screen decodes or scans every record: a phone holding a whole patch holds
// tens of thousands, and decoding every promise for each screen made search
// take seconds and opening a tenancy longer. It is built from r.records the
// first time a screen asks, and from then on kept up to date by every
// change to r.records: the phone's own writes and every pulled page.
type index struct {
	built bool
	// tenancies by ID, with the text a search looks in; byReference is
	// their IDs sorted by reference, nil when it must be sorted again.
	tenancies   map[string]indexedTenancy
	byReference []string
	visits      map[string]housing.Visit
	commitments map[string]housing.Commitment
	open        map[string]bool // commitments still to keep (Status.Pending)
	// byTenancy is the keys ("kind/id") of each tenancy's visits, promises
	// and feedback; feedbackAt is each feedback's tenancy, to unfile it.
	byTenancy  map[string]map[string]bool
	feedbackAt map[string]string
}

type indexedTenancy struct {
	housing.Tenancy
	hay string // household, address, postcode and reference, lower-cased
}

// ix returns the index, building it the first time. r.mu is held.
func (r *Replica) ix() *index {
	if !r.idx.built {
		r.idx = index{built: true, tenancies: map[string]indexedTenancy{}, visits: map[string]housing.Visit{},
			commitments: map[string]housing.Commitment{}, open: map[string]bool{},
			byTenancy: map[string]map[string]bool{}, feedbackAt: map[string]string{}}
		for k, raw := range r.records {
			r.idx.add(k, raw)
		}
	}
	return &r.idx
}

// indexPut files a record that r.records now holds under key; indexDelete
// unfiles one it no longer holds. Before the index is built there is
// nothing to keep up to date. r.mu is held.
func (r *Replica) indexPut(key string, raw json.RawMessage) {
	if r.idx.built {
		r.idx.remove(key)
		r.idx.add(key, raw)
	}
}

func (r *Replica) indexDelete(key string) {
	if r.idx.built {
		r.idx.remove(key)
	}
}

func (x *index) add(key string, raw json.RawMessage) {
	kind, id, _ := strings.Cut(key, "/")
	switch kind {
	case housing.RecordTenancy:
		var t housing.Tenancy
		if json.Unmarshal(raw, &t) == nil {
			x.tenancies[id] = indexedTenancy{Tenancy: t, hay: strings.ToLower(t.Household + " " + t.Address + " " + t.Postcode + " " + t.Reference)}
			x.byReference = nil
		}
	case housing.RecordVisit:
		var v housing.Visit
		if json.Unmarshal(raw, &v) == nil {
			x.visits[id] = v
			x.link(v.TenancyID, key)
		}
	case housing.RecordCommitment:
		var c housing.Commitment
		if json.Unmarshal(raw, &c) == nil {
			x.commitments[id] = c
			if c.Status.Pending() {
				x.open[id] = true
			}
			x.link(c.TenancyID, key)
		}
	case housing.RecordFeedback:
		var f struct {
			TenancyID string `json:"tenancy_id"`
		}
		if json.Unmarshal(raw, &f) == nil {
			x.feedbackAt[id] = f.TenancyID
			x.link(f.TenancyID, key)
		}
	}
}

func (x *index) remove(key string) {
	kind, id, _ := strings.Cut(key, "/")
	switch kind {
	case housing.RecordTenancy:
		if _, ok := x.tenancies[id]; ok {
			delete(x.tenancies, id)
			x.byReference = nil
		}
	case housing.RecordVisit:
		if v, ok := x.visits[id]; ok {
			x.unlink(v.TenancyID, key)
			delete(x.visits, id)
		}
	case housing.RecordCommitment:
		if c, ok := x.commitments[id]; ok {
			x.unlink(c.TenancyID, key)
			delete(x.commitments, id)
			delete(x.open, id)
		}
	case housing.RecordFeedback:
		if t, ok := x.feedbackAt[id]; ok {
			x.unlink(t, key)
			delete(x.feedbackAt, id)
		}
	}
}

func (x *index) link(tenancyID, key string) {
	keys := x.byTenancy[tenancyID]
	if keys == nil {
		keys = map[string]bool{}
		x.byTenancy[tenancyID] = keys
	}
	keys[key] = true
}

func (x *index) unlink(tenancyID, key string) {
	if keys := x.byTenancy[tenancyID]; keys != nil {
		delete(keys, key)
		if len(keys) == 0 {
			delete(x.byTenancy, tenancyID)
		}
	}
}

// sortedTenancies returns the tenancies' IDs by reference, sorting them
// again only after a tenancy has come or gone.
func (x *index) sortedTenancies() []string {
	if x.byReference == nil {
		x.byReference = make([]string, 0, len(x.tenancies))
		for id := range x.tenancies {
			x.byReference = append(x.byReference, id)
		}
		sort.Slice(x.byReference, func(i, j int) bool {
			return x.tenancies[x.byReference[i]].Reference < x.tenancies[x.byReference[j]].Reference
		})
	}
	return x.byReference
}

// commitment is a held promise as the screens get it: its own copy of the
// history, so that a caller appending to it never writes into the index.
func (x *index) commitment(id string) (housing.Commitment, bool) {
	c, ok := x.commitments[id]
	c.History = slices.Clone(c.History)
	return c, ok
}

// tenancyKeys returns the keys of a tenancy's records of kind.
func (x *index) tenancyKeys(tenancyID, kind string) []string {
	var out []string
	for k := range x.byTenancy[tenancyID] {
		if strings.HasPrefix(k, kind+"/") {
			out = append(out, k)
		}
	}
	return out
}
