package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"doorstep/shared/housing"
)

// This file is the sync scope: which records reach whose devices. It joins
// sites and functions. An officer receives:
//   - reference data (sites, functions, officers, standards): everyone;
//   - the tenancies of their sites that have not ended (an ended tenancy
//     stays on the server with its history, and leaves every phone);
//   - the visits and feedback on their sites, and any they made;
//   - every commitment on their sites, owned by one of their functions
//     wherever it was made, made by them, or assigned to them
//     (housing.Principal.Visible);
//   - their own "needs attention" items, and nobody else's.
//
// Admins receive everything but other officers' attention items, which
// supervisors read on the server. The rules are written twice, once as Go
// (to check a record's current form) and once as SQL (to select rows), and
// kept side by side here so they cannot drift apart unnoticed.

// seesTenancy reports whether tenancy t is p's to work with: on one of p's
// sites, or any for an admin. An ended tenancy still is, so a visit logged
// on a phone that has not yet heard it ended is kept, and a supervisor can
// read its timeline; only phones drop it (onPhone).
func seesTenancy(p housing.Principal, t housing.Tenancy) bool {
	return p.Role == housing.RoleAdmin || p.InSite(t.SiteID)
}

// onPhone reports whether tenancy t belongs on p's phones: p sees it
// (seesTenancy) and it has not ended.
func onPhone(p housing.Principal, t housing.Tenancy) bool {
	return !t.Ended && seesTenancy(p, t)
}

func seesVisit(p housing.Principal, v housing.Visit) bool {
	return p.Role == housing.RoleAdmin || p.InSite(v.SiteID) || v.OfficerID == p.OfficerID || v.CreatedBy == p.OfficerID
}

func seesFeedback(p housing.Principal, f housing.Feedback) bool {
	return p.Role == housing.RoleAdmin || p.InSite(f.SiteID) || f.CreatedBy == p.OfficerID
}

func seesAttention(p housing.Principal, a housing.Attention) bool {
	return a.OfficerID == p.OfficerID
}

// tenancyInScope reports whether p may work with tenancy t: it is on one of
// p's sites, or p can see one of its promises (a repairs officer visiting
// another estate for a promise their team owns, a supervisor following
// it).
func tenancyInScope(ctx context.Context, q sqlQuerier, p housing.Principal, t housing.Tenancy) (bool, error) {
	if seesTenancy(p, t) {
		return true, nil
	}
	return anyCommitment(ctx, q, commitmentFilter{TenancyID: t.ID, Scope: &p})
}

// scopeKeys are the columns of a record that decide who sees it; which
// column each field holds depends on the kind (see sees).
type scopeKeys struct {
	site  string
	ended bool   // tenancy: it has ended, and is on no phone
	by    string // visit: officer_id; commitment: made_by; feedback: created_by; attention: officer_id
	other string // visit: created_by; commitment: owner_id
	fn    string // commitment: function_id
}

// sees reports whether p may see a record of kind in the form whose keys
// are k. Reference data is everyone's.
func sees(p housing.Principal, kind string, k scopeKeys) bool {
	switch kind {
	case housing.RecordTenancy:
		return onPhone(p, housing.Tenancy{SiteID: k.site, Ended: k.ended})
	case housing.RecordVisit:
		return seesVisit(p, housing.Visit{SiteID: k.site, OfficerID: k.by, Meta: housing.Meta{CreatedBy: k.other}})
	case housing.RecordCommitment:
		return p.Visible(housing.Commitment{SiteID: k.site, MadeBy: k.by, OwnerID: k.other, FunctionID: k.fn})
	case housing.RecordFeedback:
		return seesFeedback(p, housing.Feedback{SiteID: k.site, Meta: housing.Meta{CreatedBy: k.by}})
	case housing.RecordAttention:
		return seesAttention(p, housing.Attention{OfficerID: k.by})
	}
	return true
}

func visitKeys(v housing.Visit) (string, scopeKeys) {
	return v.ID, scopeKeys{site: v.SiteID, by: v.OfficerID, other: v.CreatedBy}
}

func commitmentKeys(c housing.Commitment) (string, scopeKeys) {
	return c.ID, scopeKeys{site: c.SiteID, by: c.MadeBy, other: c.OwnerID, fn: c.FunctionID}
}

func feedbackKeys(f housing.Feedback) (string, scopeKeys) {
	return f.ID, scopeKeys{site: f.SiteID, by: f.CreatedBy}
}

// scopeWhere returns the SQL condition that selects the rows of a snapshot
// phase (a record kind) that p may see, with its arguments. The columns are
// those of the record's own table.
func scopeWhere(p housing.Principal, kind string) (string, []any) {
	admin := p.Role == housing.RoleAdmin
	switch kind {
	case housing.RecordTenancy:
		if admin {
			return "ended = 0", nil
		}
		s, args := inList("site_id", p.Sites)
		return "(ended = 0 AND " + s + ")", args
	case housing.RecordVisit:
		if admin {
			return "1", nil
		}
		s, args := inList("site_id", p.Sites)
		return "(" + s + " OR officer_id = ? OR created_by = ?)", append(args, p.OfficerID, p.OfficerID)
	case housing.RecordCommitment:
		if admin {
			return "1", nil
		}
		s, args := inList("site_id", p.Sites)
		f, fargs := inList("function_id", p.Functions)
		args = append(args, fargs...)
		return "(" + s + " OR " + f + " OR made_by = ? OR owner_id = ?)", append(args, p.OfficerID, p.OfficerID)
	case housing.RecordFeedback:
		if admin {
			return "1", nil
		}
		s, args := inList("site_id", p.Sites)
		return "(" + s + " OR created_by = ?)", append(args, p.OfficerID)
	case housing.RecordAttention:
		return "officer_id = ?", []any{p.OfficerID}
	}
	return "1", nil // reference data
}

// changeScopeWhere returns the SQL condition on the changes table that
// selects the log entries p may need: those whose record is in p's scope
// now, or was before the change (a reassign away from p's function or from p,
// which p's devices must drop).
//
// A tenancy that ends needs no term of its own: its change is logged under
// its site like any other, so it reaches the phones that held it, and the
// pull, finding it ended (sees), sends it to them as removed.
func changeScopeWhere(p housing.Principal) (string, []any) {
	if p.Role == housing.RoleAdmin {
		return "(kind <> 'attention' OR made_by = ?)", []any{p.OfficerID}
	}
	s, args := inList("site_id", p.Sites)
	f, fargs := inList("function_id", p.Functions)
	pf, pfargs := inList("prev_function_id", p.Functions)
	args = append([]any{p.OfficerID}, args...)
	args = append(append(args, fargs...), pfargs...)
	args = append(args, p.OfficerID, p.OfficerID)
	return "(everyone = 1 OR made_by = ? OR (kind <> 'attention' AND (" + s + " OR " + f + " OR " + pf +
		" OR owner_id = ? OR prev_owner_id = ?)))", args
}

// reaches is changeScopeWhere in Go, for pulls served from the change log
// held in memory (recentChanges); the two must select the same entries.
func reaches(p housing.Principal, c changeRow) bool {
	if p.Role == housing.RoleAdmin {
		return c.Kind != housing.RecordAttention || c.MadeBy == p.OfficerID
	}
	return c.Everyone || c.MadeBy == p.OfficerID || (c.Kind != housing.RecordAttention &&
		(p.InSite(c.SiteID) || p.InFunction(c.FunctionID) || p.InFunction(c.PrevFunctionID) ||
			c.OwnerID == p.OfficerID || c.PrevOwnerID == p.OfficerID))
}

// inList returns "col IN (?, ?)" for vals, or a condition that is never
// true when there are none.
func inList(col string, vals []string) (string, []any) {
	if len(vals) == 0 {
		return "0", nil
	}
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return col + " IN (" + strings.Repeat("?, ", len(vals)-1) + "?)", args
}

// scopeFingerprint is a short digest of everything the scope depends on. It
// travels in the cursor, so when an officer's sites, functions or role
// change the next pull starts over with a snapshot of the new scope.
func scopeFingerprint(p housing.Principal) string {
	sites, fns := slices.Clone(p.Sites), slices.Clone(p.Functions)
	slices.Sort(sites)
	slices.Sort(fns)
	sum := sha256.Sum256([]byte(p.OfficerID + "|" + string(p.Role) + "|" + strings.Join(sites, ",") + "|" + strings.Join(fns, ",")))
	return hex.EncodeToString(sum[:6])
}
