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
//
// It reads in one read transaction, so Hidden counts the same records the
// entries leave out.
func (s *ReviewService) Timeline(ctx context.Context, p housing.Principal, tenancyID string) (housing.Timeline, error) {
	if err := mayReview(p); err != nil {
		return housing.Timeline{}, err
	}
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return housing.Timeline{}, err
	}
	defer tx.Rollback()
	t, ok, err := tenancyByID(ctx, tx, tenancyID)
	if err == nil && ok {
		ok, err = tenancyInScope(ctx, tx, p, t)
	}
	if err != nil {
		return housing.Timeline{}, err
	}
	if !ok {
		return housing.Timeline{}, housing.Errorf(housing.CodeNotFound, "That tenancy was not found, or is not one you supervise.")
	}
	names, err := readNames(ctx, tx)
	if err != nil {
		return housing.Timeline{}, err
	}
	tl := housing.Timeline{Tenancy: t, SiteName: names.siteName(t.SiteID), LoadedAt: tx.now,
		Entries: []housing.TimelineEntry{}, Names: map[string]string{}}

	all := 0
	for _, table := range []string{"visits", "commitments", "feedback"} {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE tenancy_id = ?`, t.ID).Scan(&n); err != nil {
			return tl, fmt.Errorf("count %s: %w", table, err)
		}
		all += n
	}

	visits, err := readVisits(ctx, tx, visitFilter{TenancyID: t.ID, Scope: &p})
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

	cs, err := readCommitments(ctx, tx, commitmentFilter{TenancyID: t.ID, Scope: &p, Order: storedOrder})
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

	fs, err := readFeedback(ctx, tx, feedbackFilter{TenancyID: t.ID, Scope: &p})
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
