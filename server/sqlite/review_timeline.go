package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"doorstep/shared/housing"
)

// Timeline returns the visits, commitments (with each later event in its
// history) and feedback recorded at one tenancy that p's scope covers, in
// time order, whoever made them and whatever site or function they work in:
// the joined-up picture no single team has. p may see it when the tenancy is
// on one of p's sites or one of its promises is in p's scope (a repairs
// supervisor following a promise made on another estate); anything else is
// CodeNotFound. Records outside p's scope (another team's ASB visit notes,
// say) are left out by the same rule as sync's (scopeWhere), and counted in
// Hidden so the page can say so.
func (s *ReviewService) Timeline(ctx context.Context, p housing.Principal, tenancyID string) (housing.Timeline, error) {
	if err := mayReview(p); err != nil {
		return housing.Timeline{}, err
	}
	t, err := s.reviewTenancy(ctx, p, tenancyID)
	if err != nil {
		return housing.Timeline{}, err
	}
	names, err := readNames(ctx, s.DB.db)
	if err != nil {
		return housing.Timeline{}, err
	}
	tl := housing.Timeline{Tenancy: t, SiteName: names.siteName(t.SiteID), LoadedAt: s.DB.Now().UTC(),
		Entries: []housing.TimelineEntry{}, Names: map[string]string{}}

	where := func(kind string) (string, []any) {
		scope, args := scopeWhere(p, kind)
		return "tenancy_id = ? AND " + scope + " ORDER BY rowid", append([]any{t.ID}, args...)
	}
	all := 0
	for _, table := range []string{"visits", "commitments", "feedback"} {
		var n int
		if err := s.DB.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE tenancy_id = ?`, t.ID).Scan(&n); err != nil {
			return tl, fmt.Errorf("count %s: %w", table, err)
		}
		all += n
	}

	q, args := where(housing.RecordVisit)
	visits, err := readVisits(ctx, s.DB.db, q, args...)
	if err != nil {
		return tl, err
	}
	for i := range visits {
		v := &visits[i]
		tl.Entries = append(tl.Entries, housing.TimelineEntry{
			Kind: housing.EntryVisit, At: housing.EntryTime(v.Meta), ByName: names.officer(v.OfficerID),
			SiteName: names.siteName(v.SiteID), Visit: v,
		})
	}

	q, args = where(housing.RecordCommitment)
	cs, err := readCommitments(ctx, s.DB.db, q, args...)
	if err != nil {
		return tl, err
	}
	for i := range cs {
		c := &cs[i]
		fn := names.functionName(c.FunctionID)
		tl.Entries = append(tl.Entries, housing.TimelineEntry{
			Kind: housing.EntryCommitment, At: housing.EntryTime(c.Meta), ByName: names.officer(c.MadeBy),
			SiteName: names.siteName(c.SiteID), FunctionName: fn, Commitment: c,
		})
		for j := range c.History {
			e := &c.History[j]
			if e.Kind == housing.KindCommitmentMake {
				continue // the commitment entry itself
			}
			if e.Kind == housing.KindCommitmentReassign {
				names.mention(tl.Names, e.From, e.To)
			}
			tl.Entries = append(tl.Entries, housing.TimelineEntry{
				Kind: housing.EntryEvent, At: e.At, ByName: nameOr(e.ByName, names.officer(e.By)),
				SiteName: names.siteName(c.SiteID), FunctionName: fn, Event: e, CommitmentID: c.ID, What: c.What,
			})
		}
	}

	q, args = where(housing.RecordFeedback)
	fs, err := readFeedback(ctx, s.DB.db, q, args...)
	if err != nil {
		return tl, err
	}
	for i := range fs {
		f := &fs[i]
		tl.Entries = append(tl.Entries, housing.TimelineEntry{
			Kind: housing.EntryFeedback, At: housing.EntryTime(f.Meta), ByName: names.officer(f.CreatedBy),
			SiteName: names.siteName(f.SiteID), Feedback: f,
		})
	}

	tl.Hidden = all - len(visits) - len(cs) - len(fs)
	slices.SortStableFunc(tl.Entries, func(a, b housing.TimelineEntry) int { return a.At.Compare(b.At) })
	return tl, nil
}

// reviewTenancy returns the tenancy if p may see its timeline.
func (s *ReviewService) reviewTenancy(ctx context.Context, p housing.Principal, id string) (housing.Tenancy, error) {
	notFound := housing.Errorf(housing.CodeNotFound, "That tenancy was not found, or is not one you supervise.")
	ts, err := readTenancies(ctx, s.DB.db, "id = ?", id)
	if err != nil {
		return housing.Tenancy{}, err
	}
	if len(ts) == 0 {
		return housing.Tenancy{}, notFound
	}
	if seesTenancy(p, ts[0]) {
		return ts[0], nil
	}
	where, args := scopeWhere(p, housing.RecordCommitment)
	var n int
	if err := s.DB.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM commitments WHERE tenancy_id = ? AND `+where,
		append([]any{id}, args...)...).Scan(&n); err != nil {
		return housing.Tenancy{}, fmt.Errorf("check tenancy scope: %w", err)
	}
	if n == 0 {
		return housing.Tenancy{}, notFound
	}
	return ts[0], nil
}

// mention adds to into the names of the functions and officers in owner
// labels ("repairs", or "repairs/<officer ID>") as a reassignment writes them.
func (n reviewNames) mention(into map[string]string, labels ...string) {
	for _, l := range labels {
		fn, officer, _ := strings.Cut(l, "/")
		if fn != "" {
			into[fn] = n.functionName(fn)
		}
		if officer != "" {
			into[officer] = n.officer(officer)
		}
	}
}
