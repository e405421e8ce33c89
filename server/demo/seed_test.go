package demo_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"doorstep/server/demo"
	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// mustSeed opens a fresh database with the demo landlord in it.
func mustSeed(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db := demotest.Empty(tb)
	if ok, err := demo.Seed(context.Background(), db); err != nil || !ok {
		tb.Fatalf("seed demo: got %v, %v; want true, nil", ok, err)
	}
	return db
}

func TestSeed(t *testing.T) {
	ctx := context.Background()
	db := mustSeed(t)
	ref := &sqlite.ReferenceService{DB: db}

	t.Run("OnlyOnce", func(t *testing.T) {
		ok, err := demo.Seed(ctx, db)
		if err != nil || ok {
			t.Fatalf("second seed: got %v, %v; want false, nil", ok, err)
		}
		var n int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM officers`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != len(demo.Users) {
			t.Fatalf("got %d officers after a second seed, want %d", n, len(demo.Users))
		}
	})

	// A real landlord's first admin is made before any site exists; asking
	// for the demo afterwards (a stray -demo or DOORSTEP_DEMO) must not add
	// the demo's published sign-ins beside that account.
	t.Run("NeverBesideARealAccount", func(t *testing.T) {
		real := demotest.Empty(t)
		officers := &sqlite.OfficerService{DB: real}
		if _, err := officers.CreateOfficer(ctx, housing.NewOfficer{Username: "boss", Name: "The Boss", Role: housing.RoleAdmin,
			Password: "Marmalade-Harbour-Quiet-73"}); err != nil {
			t.Fatal(err)
		}
		for name, seed := range map[string]func(context.Context, *sqlite.DB) (bool, error){"Seed": demo.Seed, "SeedWithHistory": demo.SeedWithHistory} {
			ok, err := seed(ctx, real)
			if err != nil || ok {
				t.Fatalf("%s beside a real admin: got %v, %v; want false, nil", name, ok, err)
			}
		}
		if _, err := officers.OfficerByUsername(ctx, "admin"); err == nil {
			t.Errorf("the demo's admin account was added beside the landlord's own")
		}
	})

	t.Run("Reference", func(t *testing.T) {
		sites, err := ref.Sites(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(sites), 3; got != want {
			t.Fatalf("got %d sites, want %d", got, want)
		}
		fns, err := ref.Functions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, f := range fns {
			ids = append(ids, f.ID)
		}
		for _, want := range []string{housing.FunctionRepairs, housing.FunctionIncome, housing.FunctionTenancy,
			housing.FunctionASB, housing.FunctionLettings, housing.FunctionComplaints} {
			found := false
			for _, id := range ids {
				found = found || id == want
			}
			if !found {
				t.Errorf("got functions %v, want %q among them", ids, want)
			}
		}
	})

	t.Run("Standards", func(t *testing.T) {
		ss, err := ref.Standards(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(ss), len(housing.DefaultStandards()); got != want || got == 0 {
			t.Fatalf("got %d standards, want the %d defaults", got, want)
		}
	})

	t.Run("Tenancies", func(t *testing.T) {
		all, err := ref.Tenancies(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(all), 200; got != want {
			t.Fatalf("got %d tenancies, want %d", got, want)
		}
		postcode := regexp.MustCompile(`^[A-Z]{1,2}[0-9]{1,2} [0-9][ABDEFGHJLNPQRSTUWXYZ]{2}$`)
		reference := regexp.MustCompile(`^(RIV|NGT|HOL)-[0-9]{5}$`)
		addresses := map[string]bool{}
		for _, tn := range all {
			if !postcode.MatchString(tn.Postcode) {
				t.Errorf("tenancy %s: got postcode %q, want a UK postcode", tn.Reference, tn.Postcode)
			}
			if !reference.MatchString(tn.Reference) {
				t.Errorf("got reference %q, want like RIV-00042", tn.Reference)
			}
			if tn.Household == "" || !housing.ValidID(tn.ID) {
				t.Errorf("tenancy %s: got household %q and id %q", tn.Reference, tn.Household, tn.ID)
			}
			if addresses[tn.Address] {
				t.Errorf("got address %q twice", tn.Address)
			}
			addresses[tn.Address] = true
		}
		riverside, err := ref.Tenancies(ctx, []string{"riverside"})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(riverside), 80; got != want {
			t.Fatalf("got %d riverside tenancies, want %d", got, want)
		}
		if got, want := riverside[41].Reference, "RIV-00042"; got != want {
			t.Fatalf("got 42nd riverside reference %q, want %q", got, want)
		}
		if got, want := riverside[41].ID, demo.TenancyID("RIV-00042"); got != want {
			t.Fatalf("got RIV-00042's id %q, want %q", got, want)
		}
	})

	t.Run("SameEveryTime", func(t *testing.T) {
		other := mustSeed(t)
		a, err := ref.Tenancies(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := (&sqlite.ReferenceService{DB: other}).Tenancies(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("two seeds made different tenancies; first differs at %v", firstDiff(a, b))
		}
	})

	t.Run("UsersSignIn", func(t *testing.T) {
		sessions := &sqlite.SessionService{DB: db}
		for _, u := range demo.Users {
			s, err := sessions.SignIn(ctx, housing.SignIn{Username: u.Username, Password: u.Password, DeviceName: "test"})
			if err != nil {
				t.Fatalf("sign in as %s: %v", u.Username, err)
			}
			o := s.Officer
			if o.ID != demo.OfficerID(u.Username) || o.Role != u.Role || len(o.Sites) != len(u.Sites) || len(o.Functions) != len(u.Functions) {
				t.Errorf("sign in as %s: got officer %+v, want %+v", u.Username, o, u)
			}
		}
	})
}

func firstDiff(a, b []housing.Tenancy) any {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return []housing.Tenancy{a[i], b[i]}
		}
	}
	return []int{len(a), len(b)}
}

// TestREADMESignIns keeps README.md's table of demo sign-ins true to Users:
// the same accounts, passwords, roles and sites, in order.
func TestREADMESignIns(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "| username | password | role | sites | functions |\n|---|---|---|---|---|\n")
	if !ok {
		t.Fatal("README.md has no demo sign-ins table")
	}
	var rows [][]string
	for _, line := range strings.Split(table, "\n") {
		if !strings.HasPrefix(line, "|") {
			break
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
			cells = append(cells, strings.TrimSpace(c))
		}
		rows = append(rows, cells)
	}
	if got, want := len(rows), len(demo.Users); got != want {
		t.Fatalf("got %d rows in README.md's table, want %d", got, want)
	}
	for i, u := range demo.Users {
		want := []string{u.Username, u.Password, string(u.Role)}
		if got := rows[i][:3]; !reflect.DeepEqual(got, want) {
			t.Errorf("row %d: got %q, want %q", i+1, got, want)
		}
		if sites := demo.SiteNames(u.Sites); sites != "" && rows[i][3] != sites {
			t.Errorf("row %d: got sites %q, want %q", i+1, rows[i][3], sites)
		}
	}
}
