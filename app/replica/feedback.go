package replica

import (
	"context"

	"doorstep/shared/housing"
)

// giveFeedback is GiveFeedback, tried once.
func (r *Replica) giveFeedback(ctx context.Context, f housing.Feedback) (housing.Feedback, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.meta.Officer.ID == "" {
		return f, housing.Errorf(housing.CodeUnauthorized, "Sign in before you record feedback.")
	}
	if f.VisitID != "" {
		v, ok := one[housing.Visit](r, housing.RecordVisit, f.VisitID)
		if !ok {
			return f, housing.Errorf(housing.CodeInvalid, "That visit is not on this phone.")
		}
		f.TenancyID = v.TenancyID
	}
	t, ok := one[housing.Tenancy](r, housing.RecordTenancy, f.TenancyID)
	if !ok {
		return f, housing.Errorf(housing.CodeInvalid, "Choose the tenancy the feedback is about.")
	}
	now := r.now()
	if f.ID == "" {
		f.ID = r.newID()
	}
	f.SiteID, f.Source = t.SiteID, housing.SourceOfficer
	f.Meta = housing.Meta{CreatedBy: r.meta.Officer.ID, DeviceID: r.meta.DeviceID, HappenedAt: now}
	if err := f.Validate(); err != nil {
		return f, err
	}
	var b Batch
	b.put(housing.RecordFeedback, f.ID, f)
	r.enqueue(&b, housing.KindFeedbackGive, f.ID, 0, f, now)
	return f, r.commit(ctx, b)
}
