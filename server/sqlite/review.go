package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"doorstep/shared/housing"
)

// ReviewService implements housing.ReviewService over a DB: what
// supervisors read. It only reads; a supervisor's actions are sync
// mutations, applied by SyncService like everyone else's. The rules that put
// a commitment in a queue and the definitions of the measures are in
// shared/housing/review.go; the SQL here only narrows the rows they look at.
type ReviewService struct {
	DB *DB
}

var _ housing.ReviewService = (*ReviewService)(nil)

// AttentionDays is how far back the "needs attention" queue looks. A
// refused mutation is put right on the officer's phone by sending a new one,
// so old items are history, not work.
const AttentionDays = 30

// maxAttention bounds the "needs attention" queue on one screen.
const maxAttention = 200

// Queues returns p's attention queues as of today in the landlord's time
// zone. It returns CodeForbidden unless p is a supervisor or admin, and
// CodeInvalid for a bad filter.
func (s *ReviewService) Queues(ctx context.Context, p housing.Principal, f housing.ReviewFilter) (housing.Queues, error) {
	if err := mayReview(p); err != nil {
		return housing.Queues{}, err
	}
	if err := f.Validate(); err != nil {
		return housing.Queues{}, err
	}
	now := s.DB.Now().UTC()
	today := housing.LocalDate(now)
	q := housing.Queues{Today: today, LoadedAt: now, Filter: f, Items: []housing.QueueItem{}, Attention: []housing.AttentionItem{}}

	names, err := readNames(ctx, s.DB.db)
	if err != nil {
		return q, err
	}
	q.Options = names.options()

	// Candidates for any commitment queue: still to be delivered, or
	// disputed by the tenant. Closed, settled promises are never read.
	where, args := reviewCommitmentWhere(p, f)
	where += ` AND (status IN ('open', 'acknowledged', 'broken', 'disputed') OR tenant_agreement = 'not_agreed')`
	if f.From != "" {
		where, args = where+` AND due_date >= ?`, append(args, string(f.From))
	}
	if f.To != "" {
		where, args = where+` AND due_date <= ?`, append(args, string(f.To))
	}
	cs, err := readCommitments(ctx, s.DB.db, where+` ORDER BY due_date, id`, args...)
	if err != nil {
		return q, err
	}
	refs, err := readTenancyRefs(ctx, s.DB.db, cs)
	if err != nil {
		return q, err
	}
	byQueue := map[string][]housing.QueueItem{}
	for _, c := range cs {
		for _, name := range c.ReviewQueues(today) {
			item := housing.QueueItem{Queue: name, Commitment: c, DaysOver: c.DaysOver(today), Names: names.of(c, refs)}
			byQueue[name] = append(byQueue[name], item)
		}
	}
	for _, name := range housing.QueueNames {
		items := byQueue[name]
		slices.SortStableFunc(items, func(a, b housing.QueueItem) int { return b.DaysOver - a.DaysOver })
		q.Items = append(q.Items, items...)
	}

	q.Attention, err = s.attention(ctx, p, f, now, names)
	if err != nil {
		return q, err
	}
	for _, name := range housing.QueueNames {
		n := len(byQueue[name])
		if name == housing.QueueAttention {
			n = len(q.Attention)
		}
		q.Counts = append(q.Counts, housing.QueueCount{Queue: name, Label: housing.QueueLabel(name), Count: n})
	}
	return q, nil
}

// attention returns the refused mutations of the officers p supervises
// (those who share one of p's sites or functions; everyone for an admin),
// newest first, from the last AttentionDays. The filter's sites, functions
// and officer narrow by the officer; its status and dates are about
// commitments and do not apply.
func (s *ReviewService) attention(ctx context.Context, p housing.Principal, f housing.ReviewFilter, now time.Time, names reviewNames) ([]housing.AttentionItem, error) {
	where, args := supervisedOfficersWhere(p)
	if len(f.Sites) > 0 {
		in, inArgs := inList("site_id", f.Sites)
		where, args = where+` AND a.officer_id IN (SELECT officer_id FROM officer_sites WHERE `+in+`)`, append(args, inArgs...)
	}
	if len(f.Functions) > 0 {
		in, inArgs := inList("function_id", f.Functions)
		where, args = where+` AND a.officer_id IN (SELECT officer_id FROM officer_functions WHERE `+in+`)`, append(args, inArgs...)
	}
	if f.OfficerID != "" {
		where, args = where+` AND a.officer_id = ?`, append(args, f.OfficerID)
	}
	cw, cargs := scopeWhere(p, housing.RecordCommitment)
	args = append(cargs, args...)
	args = append(args, formatTime(now.AddDate(0, 0, -AttentionDays)), maxAttention)
	rows, err := s.DB.db.QueryContext(ctx, `
		SELECT a.id, a.device_id, a.seq, a.officer_id, a.kind, a.record_id, a.code, a.reason, a.received_at,
			COALESCE((SELECT what FROM commitments WHERE id = a.record_id AND `+cw+`), '')
		FROM attention a
		WHERE `+where+` AND a.received_at >= ?
		ORDER BY a.received_at DESC, a.id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("read attention for review: %w", err)
	}
	defer rows.Close()
	out := []housing.AttentionItem{}
	for rows.Next() {
		var it housing.AttentionItem
		var received string
		a := &it.Attention
		if err := rows.Scan(&a.ID, &a.DeviceID, &a.Seq, &a.OfficerID, &a.Kind, &a.RecordID, &a.Code, &a.Reason, &received, &it.What); err != nil {
			return nil, fmt.Errorf("scan attention for review: %w", err)
		}
		a.ReceivedAt = parseTime(received)
		it.OfficerName = names.officer(a.OfficerID)
		out = append(out, it)
	}
	return out, rows.Err()
}

// mayReview refuses anyone below a supervisor. The API checks the role
// first; this keeps the store safe whoever calls it.
func mayReview(p housing.Principal) error {
	if !p.Role.AtLeast(housing.RoleSupervisor) {
		return housing.Errorf(housing.CodeForbidden, "Only supervisors can review promises.")
	}
	return nil
}

// reviewCommitmentWhere returns the condition on the commitments table for
// p's scope (the sync scope: p's sites, p's functions, made by or assigned to
// p; everything for an admin) narrowed by f's sites, functions, officer and
// status. Dates are left to the caller, whose meaning differs.
func reviewCommitmentWhere(p housing.Principal, f housing.ReviewFilter) (string, []any) {
	where, args := scopeWhere(p, housing.RecordCommitment)
	if len(f.Sites) > 0 {
		in, inArgs := inList("site_id", f.Sites)
		where, args = where+` AND `+in, append(args, inArgs...)
	}
	if len(f.Functions) > 0 {
		in, inArgs := inList("function_id", f.Functions)
		where, args = where+` AND `+in, append(args, inArgs...)
	}
	if f.OfficerID != "" {
		where, args = where+` AND (made_by = ? OR owner_id = ?)`, append(args, f.OfficerID, f.OfficerID)
	}
	if f.Status != "" {
		where, args = where+` AND status = ?`, append(args, string(f.Status))
	}
	return where, args
}

// supervisedOfficersWhere returns the condition on attention rows (alias a)
// for the officers p supervises: those sharing a site or function with p,
// and p. An admin supervises everyone.
func supervisedOfficersWhere(p housing.Principal) (string, []any) {
	if p.Role == housing.RoleAdmin {
		return "1", nil
	}
	s, args := inList("site_id", p.Sites)
	fn, fargs := inList("function_id", p.Functions)
	args = append(append(args, fargs...), p.OfficerID)
	return `(a.officer_id IN (SELECT officer_id FROM officer_sites WHERE ` + s + `)
		OR a.officer_id IN (SELECT officer_id FROM officer_functions WHERE ` + fn + `)
		OR a.officer_id = ?)`, args
}

// reviewNames resolves the IDs in review rows to the names people read.
// Reference data is small: every site, function and officer fits in memory.
type reviewNames struct {
	sites     []housing.Site
	functions []housing.Function
	officers  []housing.Officer
	site      map[string]string
	function  map[string]string
	person    map[string]string
}

func readNames(ctx context.Context, q sqlQuerier) (reviewNames, error) {
	var n reviewNames
	var err error
	if n.sites, err = readSites(ctx, q, "1 ORDER BY name"); err != nil {
		return n, err
	}
	if n.functions, err = readFunctions(ctx, q, "1 ORDER BY name"); err != nil {
		return n, err
	}
	if n.officers, err = readPublicOfficers(ctx, q, "1 ORDER BY name"); err != nil {
		return n, err
	}
	n.site, n.function, n.person = map[string]string{}, map[string]string{}, map[string]string{}
	for _, s := range n.sites {
		n.site[s.ID] = s.Name
	}
	for _, f := range n.functions {
		n.function[f.ID] = f.Name
	}
	for _, o := range n.officers {
		n.person[o.ID] = o.Name
	}
	return n, nil
}

func (n reviewNames) siteName(id string) string     { return nameOr(n.site[id], id) }
func (n reviewNames) functionName(id string) string { return nameOr(n.function[id], id) }

func (n reviewNames) officer(id string) string {
	if id == housing.TenantActor {
		return "The tenant"
	}
	return nameOr(n.person[id], id)
}

// of names the tenancy, site, function and owner of c.
func (n reviewNames) of(c housing.Commitment, refs map[string]string) housing.Names {
	out := housing.Names{
		TenancyRef: nameOr(refs[c.TenancyID], c.TenancyID), SiteName: n.siteName(c.SiteID),
		FunctionName: n.functionName(c.FunctionID),
	}
	if c.OwnerID != "" {
		out.OwnerName = n.officer(c.OwnerID)
	}
	return out
}

// options are the filter and action choices: every site and function (a
// filter outside p's scope narrows to nothing, and a promise may be
// reassigned to any team) and every officer still able to sign in.
func (n reviewNames) options() housing.ReviewOptions {
	o := housing.ReviewOptions{Sites: n.sites, Functions: n.functions, Officers: []housing.Officer{}}
	for _, off := range n.officers {
		if !off.Disabled {
			o.Officers = append(o.Officers, off)
		}
	}
	return o
}

// readTenancyRefs returns the landlord's references of the tenancies of cs,
// by tenancy ID.
func readTenancyRefs(ctx context.Context, q sqlQuerier, cs []housing.Commitment) (map[string]string, error) {
	refs := map[string]string{}
	var ids []string
	for _, c := range cs {
		if _, ok := refs[c.TenancyID]; !ok {
			refs[c.TenancyID] = ""
			ids = append(ids, c.TenancyID)
		}
	}
	if len(ids) == 0 {
		return refs, nil
	}
	in, args := inList("id", ids)
	rows, err := q.QueryContext(ctx, `SELECT id, reference FROM tenancies WHERE `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("read tenancy references: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return nil, fmt.Errorf("scan tenancy reference: %w", err)
		}
		refs[id] = ref
	}
	return refs, rows.Err()
}

// dayStart is the instant the day d starts in the landlord's time zone, as
// stored text, so "received on d" is a range over received_at.
func dayStart(d housing.Date) string { return formatTime(housing.LocalMidnight(d)) }

// receivedBetween returns the condition that col (a received_at column)
// falls on a day from from to to, both included; either may be "".
func receivedBetween(col string, from, to housing.Date) (string, []any) {
	var conds []string
	var args []any
	if from != "" {
		conds, args = append(conds, col+` >= ?`), append(args, dayStart(from))
	}
	if to != "" {
		conds, args = append(conds, col+` < ?`), append(args, dayStart(to.AddDays(1)))
	}
	if len(conds) == 0 {
		return "1", nil
	}
	return strings.Join(conds, " AND "), args
}

func nameOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
