package sqlite_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// landlord is a small landlord's reference data: two sites, a team, its
// standards, an admin and an officer, and a tenancy on each site.
func landlord(t *testing.T) sqlite.Reference {
	t.Helper()
	hash, err := sqlite.HashPassword("three random words")
	if err != nil {
		t.Fatal(err)
	}
	var standards []housing.Standard
	for _, s := range housing.DefaultStandards() {
		if s.FunctionID == housing.FunctionRepairs {
			standards = append(standards, s)
		}
	}
	return sqlite.Reference{
		Sites:     []housing.Site{{ID: "east", Name: "East Estate"}, {ID: "west", Name: "West Estate"}},
		Functions: []housing.Function{{ID: housing.FunctionRepairs, Name: "Repairs"}},
		Standards: standards,
		Staff: []sqlite.Staff{
			{Officer: housing.Officer{ID: uuid.NewString(), Username: "boss", Name: "The Boss", Role: housing.RoleAdmin}, PasswordHash: hash},
			{Officer: housing.Officer{ID: uuid.NewString(), Username: "Fixer ", Name: "Fay Fixer", Role: housing.RoleOfficer,
				Sites: []string{"west", "east", "east"}, Functions: []string{housing.FunctionRepairs}}, PasswordHash: hash},
		},
		Tenancies: []housing.Tenancy{
			{ID: uuid.NewString(), Reference: "E-1", Household: "Ms A Shah", Address: "1 East Road, Leeds", Postcode: "LS1 1AA", SiteID: "east"},
			{ID: uuid.NewString(), Reference: "W-1", Household: "Mr B Cole", Address: "1 West Road, Leeds", Postcode: "LS2 2BB", SiteID: "west"},
		},
	}
}

// changes counts the change log's entries.
func changes(t *testing.T, db *store) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM changes`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestReferencePut(t *testing.T) {
	ctx := context.Background()

	t.Run("AddsThenChangesNothing", func(t *testing.T) {
		db := mustOpenStore(t)
		ref := landlord(t)
		records := len(ref.Sites) + len(ref.Functions) + len(ref.Standards) + len(ref.Staff) + len(ref.Tenancies)
		n, err := db.Put(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if want := (sqlite.PutCounts{Added: records}); n != want {
			t.Fatalf("first put: got %+v, want %+v", n, want)
		}
		if got := changes(t, db); got != records {
			t.Fatalf("first put logged %d changes, want one per record, %d", got, records)
		}
		n, err = db.Put(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if want := (sqlite.PutCounts{Unchanged: records}); n != want {
			t.Fatalf("the same put again: got %+v, want %+v", n, want)
		}
		if got := changes(t, db); got != records {
			t.Fatalf("an unchanged put logged %d changes, want none", got-records)
		}
		fixer, err := db.OfficerByUsername(ctx, "fixer")
		if err != nil {
			t.Fatal(err)
		}
		if got := fixer.Sites; len(got) != 2 || got[0] != "east" || got[1] != "west" {
			t.Errorf("got sites %v, want the cleaned list [east west]", got)
		}
		if _, err := db.SignIn(ctx, housing.SignIn{Username: "fixer", Password: "three random words"}); err != nil {
			t.Errorf("an account put with a password: got %v, want it to sign in", err)
		}
	})

	t.Run("ChangesAndLogs", func(t *testing.T) {
		db := mustOpenStore(t)
		ref := landlord(t)
		if _, err := db.Put(ctx, ref); err != nil {
			t.Fatal(err)
		}
		s, err := db.SignIn(ctx, housing.SignIn{Username: "fixer", Password: "three random words"})
		if err != nil {
			t.Fatal(err)
		}
		before := changes(t, db)
		ref.Tenancies[0].SiteID = "west"                                  // moved
		ref.Staff[1].Disabled = true                                      // switched off
		ref.Sites[0].Name = "East Estate (north)"                         // renamed
		ref.Staff[1].PasswordHash = ref.Staff[0].PasswordHash + "ignored" // kept: only new accounts take one
		n, err := db.Put(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if n.Changed != 3 || n.Added != 0 {
			t.Fatalf("got %+v, want 3 changed", n)
		}
		// The moved tenancy is logged for both sites, so the old site's
		// phones hear of it too and drop it.
		if got, want := changes(t, db)-before, 4; got != want {
			t.Errorf("logged %d changes, want %d", got, want)
		}
		var sites int
		if err := db.SQL().QueryRow(`SELECT COUNT(DISTINCT site_id) FROM changes WHERE record_id = ?`, ref.Tenancies[0].ID).Scan(&sites); err != nil {
			t.Fatal(err)
		}
		if sites != 2 {
			t.Errorf("the moved tenancy's changes name %d sites, want the old and the new", sites)
		}
		if _, err := db.Authenticate(ctx, s.Token); housing.ErrorCode(err) != housing.CodeUnauthorized {
			t.Errorf("a switched-off account's device: got %v, want it signed out", err)
		}
	})

	t.Run("NoPassword", func(t *testing.T) {
		db := mustOpenStore(t)
		ref := landlord(t)
		ref.Staff[1].PasswordHash = ""
		if _, err := db.Put(ctx, ref); err != nil {
			t.Fatal(err)
		}
		_, err := db.SignIn(ctx, housing.SignIn{Username: "fixer", Password: "three random words"})
		wantCode(t, err, housing.CodeUnauthorized)
		if err := db.SetPassword(ctx, housing.Principal{}, ref.Staff[1].ID, "kettle orange bicycle"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SignIn(ctx, housing.SignIn{Username: "fixer", Password: "kettle orange bicycle"}); err != nil {
			t.Errorf("once an admin set a password: got %v, want a session", err)
		}
	})

	for _, tc := range []struct {
		name  string
		code  string
		spoil func(ref *sqlite.Reference)
	}{
		{"ErrBadSiteID", housing.CodeInvalid, func(ref *sqlite.Reference) { ref.Sites[0].ID = "East Estate" }},
		{"ErrSiteTwice", housing.CodeInvalid, func(ref *sqlite.Reference) { ref.Sites[1].ID = ref.Sites[0].ID }},
		{"ErrBadStandard", housing.CodeInvalid, func(ref *sqlite.Reference) { ref.Standards[0].Unit = "weeks" }},
		{"ErrStandardOfNoTeam", housing.CodeInvalid, func(ref *sqlite.Reference) { ref.Standards[0].FunctionID = "gardens" }},
		{"ErrUnknownSite", housing.CodeInvalid, func(ref *sqlite.Reference) { ref.Staff[1].Sites = []string{"north"} }},
		{"ErrUsernameTwice", housing.CodeInvalid, func(ref *sqlite.Reference) { ref.Staff[1].Username = "boss" }},
		{"ErrAccountNotAUUID", housing.CodeInvalid, func(ref *sqlite.Reference) { ref.Staff[1].ID = "fixer" }},
		{"ErrNotAHash", housing.CodeInvalid, func(ref *sqlite.Reference) { ref.Staff[1].PasswordHash = "three random words" }},
		{"ErrOfficerSeesNothing", housing.CodeInvalid, func(ref *sqlite.Reference) { ref.Staff[1].Sites, ref.Staff[1].Functions = nil, nil }},
		{"ErrTenancyOnNoSite", housing.CodeInvalid, func(ref *sqlite.Reference) { ref.Tenancies[0].SiteID = "north" }},
		{"ErrReferenceTwice", housing.CodeInvalid, func(ref *sqlite.Reference) { ref.Tenancies[1].Reference = "E-1" }},
		{"ErrNoHousehold", housing.CodeInvalid, func(ref *sqlite.Reference) { ref.Tenancies[0].Household = " " }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := mustOpenStore(t)
			ref := landlord(t)
			tc.spoil(&ref)
			_, err := db.Put(ctx, ref)
			wantCode(t, err, tc.code)
			if got := changes(t, db); got != 0 {
				t.Errorf("a refused put logged %d changes", got)
			}
			if sites, err := db.Sites(ctx); err != nil || len(sites) != 0 {
				t.Errorf("a refused put left sites %v, %v; want nothing stored", sites, err)
			}
		})
	}

	// Refusals that depend on what is stored already.
	for _, tc := range []struct {
		name  string
		code  string
		spoil func(ref *sqlite.Reference)
	}{
		{"ErrUsernameChanged", housing.CodeInvalid, func(ref *sqlite.Reference) { ref.Staff[1].Username = "fay" }},
		{"ErrUsernameTaken", housing.CodeConflict, func(ref *sqlite.Reference) {
			ref.Staff = append(ref.Staff, sqlite.Staff{Officer: housing.Officer{ID: uuid.NewString(), Username: "fixer", Name: "Another Fixer", Role: housing.RoleAdmin}})
			ref.Staff = ref.Staff[2:]
		}},
		{"ErrReferenceTaken", housing.CodeConflict, func(ref *sqlite.Reference) {
			ref.Tenancies = []housing.Tenancy{{ID: uuid.NewString(), Reference: "W-1", Household: "Mx C Dee", Address: "2 West Road, Leeds", SiteID: "west"}}
		}},
		{"ErrLastAdminSwitchedOff", housing.CodeInvalid, func(ref *sqlite.Reference) { ref.Staff[0].Disabled = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := mustOpenStore(t)
			ref := landlord(t)
			if _, err := db.Put(ctx, ref); err != nil {
				t.Fatal(err)
			}
			before := changes(t, db)
			tc.spoil(&ref)
			_, err := db.Put(ctx, ref)
			wantCode(t, err, tc.code)
			if got := changes(t, db) - before; got != 0 {
				t.Errorf("a refused put logged %d changes", got)
			}
		})
	}
}
