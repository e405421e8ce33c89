package sqlite

import (
	"context"
	"fmt"
	"slices"

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
// CodeInvalid for a bad filter. It reads in one read transaction, so the
// counts agree with the items.
func (s *ReviewService) Queues(ctx context.Context, p housing.Principal, f housing.ReviewFilter) (housing.Queues, error) {
	if err := mayReview(p); err != nil {
		return housing.Queues{}, err
	}
	if err := f.Validate(); err != nil {
		return housing.Queues{}, err
	}
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return housing.Queues{}, err
	}
	defer tx.Rollback()
	now := tx.now
	today := housing.LocalDate(now)
	q := housing.Queues{Today: today, LoadedAt: now, Filter: f, Items: []housing.QueueItem{}, Attention: []housing.AttentionItem{}}

	names, err := readNames(ctx, tx)
	if err != nil {
		return q, err
	}
	q.Options = names.options()

	// Candidates for any commitment queue, due in the filter's dates.
	cf := reviewCommitments(p, f)
	cf.Live, cf.DueFrom, cf.DueTo, cf.Order = true, f.From, f.To, dueOrder
	cs, err := readCommitments(ctx, tx, cf)
	if err != nil {
		return q, err
	}
	refs, err := readTenancyRefs(ctx, tx, cs)
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

	q.Attention, err = readAttentionItems(ctx, tx, p, f, names)
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

// readAttentionItems returns the refused mutations of the officers p
// supervises (those who share one of p's sites or functions, and p;
// everyone for an admin), newest first, from the last AttentionDays before
// tx began. The filter's sites, functions and officer narrow by the
// officer; its status and dates are about commitments and do not apply.
// Each item names the promise it was about when p may see it.
func readAttentionItems(ctx context.Context, tx *Tx, p housing.Principal, f housing.ReviewFilter, names reviewNames) ([]housing.AttentionItem, error) {
	var w where
	if p.Role != housing.RoleAdmin {
		sites, sargs := inList("site_id", p.Sites)
		fns, fargs := inList("function_id", p.Functions)
		w.and(`(a.officer_id IN (SELECT officer_id FROM officer_sites WHERE `+sites+`)
			OR a.officer_id IN (SELECT officer_id FROM officer_functions WHERE `+fns+`)
			OR a.officer_id = ?)`, append(append(sargs, fargs...), p.OfficerID)...)
	}
	if len(f.Sites) > 0 {
		in, args := inList("site_id", f.Sites)
		w.and(`a.officer_id IN (SELECT officer_id FROM officer_sites WHERE `+in+`)`, args...)
	}
	if len(f.Functions) > 0 {
		in, args := inList("function_id", f.Functions)
		w.and(`a.officer_id IN (SELECT officer_id FROM officer_functions WHERE `+in+`)`, args...)
	}
	if f.OfficerID != "" {
		w.and(`a.officer_id = ?`, f.OfficerID)
	}
	w.and(`a.received_at >= ?`, formatTime(tx.now.AddDate(0, 0, -AttentionDays)))
	// The promise's words, only where p's scope covers it; these arguments
	// come first, as the subquery is in the column list.
	var what where
	what.scope(p, housing.RecordCommitment)
	args := append(append(what.args, w.args...), maxAttention)
	rows, err := tx.QueryContext(ctx, `
		SELECT a.id, a.device_id, a.seq, a.officer_id, a.kind, a.record_id, a.code, a.reason, a.received_at,
			COALESCE((SELECT what FROM commitments WHERE id = a.record_id AND `+what.String()+`), '')
		FROM attention a
		WHERE `+w.String()+`
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

// reviewCommitments selects the commitments in p's scope (the sync scope:
// p's sites, p's functions, made by or assigned to p; everything for an
// admin) narrowed by f's sites, functions, officer and status. Dates are
// left to the caller, whose meaning differs.
func reviewCommitments(p housing.Principal, f housing.ReviewFilter) commitmentFilter {
	return commitmentFilter{Scope: &p, Sites: f.Sites, Functions: f.Functions, OfficerID: f.OfficerID, Status: f.Status}
}

// reviewFeedback selects the feedback in p's scope (the sync scope: p's
// sites and what p recorded; everything for an admin) narrowed by f's
// sites and officer. Feedback has no owning function or status, so those
// parts of the filter do not apply.
func reviewFeedback(p housing.Principal, f housing.ReviewFilter) feedbackFilter {
	return feedbackFilter{Scope: &p, Sites: f.Sites, CreatedBy: f.OfficerID}
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

func readNames(ctx context.Context, tx *Tx) (reviewNames, error) {
	var n reviewNames
	var err error
	if n.sites, err = readSites(ctx, tx, siteFilter{}); err != nil {
		return n, err
	}
	if n.functions, err = readFunctions(ctx, tx, functionFilter{}); err != nil {
		return n, err
	}
	if n.officers, err = readPublicOfficers(ctx, tx, officerFilter{}); err != nil {
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
func readTenancyRefs(ctx context.Context, tx *Tx, cs []housing.Commitment) (map[string]string, error) {
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
	var w where
	w.in("id", ids)
	rows, err := tx.QueryContext(ctx, `SELECT id, reference FROM tenancies WHERE `+w.String(), w.args...)
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

func nameOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
