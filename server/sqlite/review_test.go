package sqlite_test

import (
	"context"
	"testing"

	"doorstep/server/demo"
	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

func TestReviewStoreRefusesOfficers(t *testing.T) {
	db := demotest.Landlord(t)
	ctx := context.Background()
	svc := &sqlite.ReviewService{DB: db}
	sarah := demotest.Principal(t, db, "sarah")
	discard := rowsFunc(func([]string) error { return nil })
	for name, call := range map[string]func() error{
		"Queues":            func() error { _, err := svc.Queues(ctx, sarah, housing.ReviewFilter{}); return err },
		"Timeline":          func() error { _, err := svc.Timeline(ctx, sarah, demo.TenancyID("RIV-00001")); return err },
		"Measures":          func() error { _, err := svc.Measures(ctx, sarah, housing.ReviewFilter{}); return err },
		"ExportCommitments": func() error { return svc.ExportCommitments(ctx, sarah, housing.ReviewFilter{}, discard) },
		"ExportFeedback":    func() error { return svc.ExportFeedback(ctx, sarah, housing.ReviewFilter{}, discard) },
	} {
		t.Run(name, func(t *testing.T) {
			if got := housing.ErrorCode(call()); got != housing.CodeForbidden {
				t.Errorf("got code %q, want forbidden", got)
			}
		})
	}
}

// rowsFunc is a housing.RowWriter from a function.
type rowsFunc func([]string) error

func (f rowsFunc) WriteRow(cells []string) error { return f(cells) }
