package demo

import (
	"context"
	"errors"
	"testing"

	"doorstep/server/sqlite"
)

// TestHalfMade checks that a demo whose making was cut off after its
// reference data, before its history was whole, is recognised and refused
// rather than left as it is or seeded over.
func TestHalfMade(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if ok, err := putLandlord(ctx, db, true); err != nil || !ok {
		t.Fatalf("put the landlord, staff switched off: got %v, %v", ok, err)
	}
	for name, seed := range map[string]func(context.Context, *sqlite.DB) (bool, error){"Seed": Seed, "SeedWithHistory": SeedWithHistory} {
		if ok, err := seed(ctx, db); ok || !errors.Is(err, ErrHalfMade) {
			t.Errorf("%s over a half-made demo: got %v, %v; want false, ErrHalfMade", name, ok, err)
		}
	}
}
