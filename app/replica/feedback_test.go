package replica_test

import (
	"context"
	"testing"

	"doorstep/app/replica"
	"doorstep/shared/housing"
)

func TestGiveFeedback(t *testing.T) {
	ctx := context.Background()
	srv := newFakeServer()
	p := newPhone(t, srv)
	v, err := p.r.RecordVisit(ctx, housing.Visit{TenancyID: "t1", Purpose: housing.PurposeWelfareCheck}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("AfterTheVisit", func(t *testing.T) {
		f, err := p.r.GiveFeedback(ctx, housing.Feedback{VisitID: v.ID,
			Answers: map[housing.Question]housing.Rating{housing.TP06: housing.VerySatisfied}, Comment: "Listened to me"})
		if err != nil {
			t.Fatal(err)
		}
		if f.TenancyID != "t1" || f.SiteID != "riverside" || f.Source != housing.SourceOfficer {
			t.Errorf("got %+v, want it filled from the visit's tenancy", f)
		}
		if got := p.r.Feedback("", v.ID); len(got) != 1 || got[0].Comment != "Listened to me" {
			t.Errorf("got %+v, want the feedback held for the visit", got)
		}
		out := p.outbox()
		if last := out[len(out)-1]; last.Kind != housing.KindFeedbackGive || last.RecordID != f.ID {
			t.Errorf("got last mutation %+v, want the feedback", last)
		}
	})
	t.Run("UnknownVisitSavesNothing", func(t *testing.T) {
		before := p.r.Status().Pending
		_, err := p.r.GiveFeedback(ctx, housing.Feedback{VisitID: "nowhere", Comment: "x"})
		if housing.ErrorCode(err) != housing.CodeInvalid {
			t.Fatalf("got %v, want invalid", err)
		}
		if got := p.r.Status().Pending; got != before {
			t.Errorf("got %d pending, want %d", got, before)
		}
	})
	t.Run("Synced", func(t *testing.T) {
		p.sync()
		if p.r.Status().Pending != 0 || srv.applied != 2 {
			t.Errorf("got %d pending and %d applied, want the visit and the feedback applied", p.r.Status().Pending, srv.applied)
		}
	})
}

func TestCommitmentFilter(t *testing.T) {
	p := newPhone(t, newFakeServer())
	v, _ := p.logVisit() // promises due 2026-12-04 and 2026-11-27
	all := p.r.Commitments(replica.CommitmentFilter{VisitID: v.ID})
	if _, err := p.r.Act(context.Background(), all[0].ID, housing.KindCommitmentCancel, housing.CommitmentAction{Reason: "Tenant moved"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		f    replica.CommitmentFilter
		want int
	}{
		{"All", replica.CommitmentFilter{}, 2},
		{"DueBy", replica.CommitmentFilter{DueBy: "2026-11-30"}, 1},
		{"DueByTheDay", replica.CommitmentFilter{DueBy: "2026-11-27"}, 1},
		{"OpenOnly", replica.CommitmentFilter{OpenOnly: true}, 1},
		{"OtherTenancy", replica.CommitmentFilter{TenancyID: "t2"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(p.r.Commitments(tt.f)); got != tt.want {
				t.Errorf("got %d promises, want %d", got, tt.want)
			}
		})
	}
}
