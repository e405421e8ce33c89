package sqlite

import (
	"context"
	"fmt"
	"math/rand"
	"strings"

	"github.com/google/uuid"

	"doorstep/shared/housing"
)

// demoNamespace makes the demo's IDs: a name-based UUID of each officer's
// username and each tenancy's reference, so every demo database has the
// same IDs and tests can name them.
var demoNamespace = uuid.MustParse("3b1e7a52-8c4d-4f0e-9a61-2d5c8e7f1a90")

// demoSeed fixes the random choices of the demo's households and
// addresses. math/rand's seeded source gives the same sequence on every Go
// release, so the demo never changes under the tests.
const demoSeed = 20260105

// DemoOfficerID and DemoTenancyID return the IDs the demo gives an officer
// (by username) and a tenancy (by reference, e.g. "RIV-00042").
func DemoOfficerID(username string) string {
	return uuid.NewSHA1(demoNamespace, []byte("officer:"+username)).String()
}

func DemoTenancyID(reference string) string {
	return uuid.NewSHA1(demoNamespace, []byte("tenancy:"+reference)).String()
}

// SeedDemo fills a new database with the demo landlord: three sites, the
// six functions, the default service standards, the DemoUsers and 200
// tenancies. It does nothing and returns false unless the database is
// empty (no site, function, account or tenancy: see holdsData), so it is
// safe to call on every start and never adds the demo's published
// sign-ins beside a real landlord's accounts, even before that landlord
// has loaded its sites. Everything
// is written in one transaction: a crash leaves no half-made demo.
func (db *DB) SeedDemo(ctx context.Context) (bool, error) {
	if held, err := holdsData(ctx, db.db); err != nil || held {
		return false, err
	}
	// Hash before the transaction: it is the slow part and needs no lock.
	// Demo accounts with one (published) password share one hash, since a
	// salt protects nothing there and each hash costs tens of milliseconds.
	officers := make([]housing.NewOfficer, len(DemoUsers))
	hashes := make([]string, len(DemoUsers))
	hashOf := map[string]string{}
	for i, u := range DemoUsers {
		officers[i] = cleanNewOfficer(housing.NewOfficer{
			Username: u.Username, Name: u.Name, Role: u.Role, Sites: u.Sites, Functions: u.Functions, Password: u.Password,
		})
		if err := officers[i].Validate(); err != nil {
			return false, fmt.Errorf("demo user %s: %w", u.Username, err)
		}
		if hashOf[u.Password] == "" {
			h, err := hashPassword(u.Password)
			if err != nil {
				return false, err
			}
			hashOf[u.Password] = h
		}
		hashes[i] = hashOf[u.Password]
	}

	tx, err := db.begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if held, err := holdsData(ctx, tx); err != nil || held {
		return false, err // another process seeded first, or a landlord began
	}
	for _, s := range demoSites {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sites (id, name) VALUES (?, ?)`, s.ID, s.Name); err != nil {
			return false, fmt.Errorf("seed site %s: %w", s.ID, err)
		}
	}
	for _, f := range demoFunctions {
		if _, err := tx.ExecContext(ctx, `INSERT INTO functions (id, name) VALUES (?, ?)`, f.ID, f.Name); err != nil {
			return false, fmt.Errorf("seed function %s: %w", f.ID, err)
		}
	}
	if err := seedStandards(ctx, tx); err != nil {
		return false, err
	}
	for i, o := range officers {
		if err := insertOfficer(ctx, tx, DemoOfficerID(o.Username), o, hashes[i]); err != nil {
			return false, fmt.Errorf("seed officer %s: %w", o.Username, err)
		}
	}
	for i, s := range demoSites {
		r := rand.New(rand.NewSource(demoSeed + int64(i)))
		for _, t := range demoTenancies(s, r) {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO tenancies (id, reference, household, address, postcode, site_id)
				VALUES (?, ?, ?, ?, ?, ?)`,
				t.ID, t.Reference, t.Household, t.Address, t.Postcode, t.SiteID); err != nil {
				return false, fmt.Errorf("seed tenancy %s: %w", t.Reference, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("commit demo: %w", err)
	}
	return true, nil
}

// holdsData reports whether the database holds any reference data: a
// site, a function, an account or a tenancy. The first admin of a real
// landlord is made before any site exists, so sites alone do not tell a
// new database from a real one.
func holdsData(ctx context.Context, q sqlQuerier) (bool, error) {
	var held bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sites) OR EXISTS (SELECT 1 FROM functions)
		OR EXISTS (SELECT 1 FROM officers) OR EXISTS (SELECT 1 FROM tenancies)`).Scan(&held)
	if err != nil {
		return false, fmt.Errorf("check for reference data: %w", err)
	}
	return held, nil
}

// demoStreet is a street of the demo with its postcode sector and the next
// free house number.
type demoStreet struct {
	name     string
	sector   int
	unitBase int
	next     int
}

// postcode returns the postcode of a number on the street. As in real
// postcodes, neighbouring houses share one, about a dozen to a postcode.
func (s demoStreet) postcode(district string, number int) string {
	k := s.unitBase + number/12
	n := len(postcodeUnit)
	return fmt.Sprintf("%s %d%c%c", district, s.sector, postcodeUnit[(k/n)%n], postcodeUnit[k%n])
}

// demoTenancies makes a site's tenancies, numbered from 1, drawing every
// choice from r: about a quarter are flats in the site's blocks, the rest
// houses on its streets.
func demoTenancies(s demoSite, r *rand.Rand) []housing.Tenancy {
	n := len(postcodeUnit)
	streets := make([]demoStreet, len(s.Streets))
	for i, name := range s.Streets {
		streets[i] = demoStreet{name: name, sector: 1 + r.Intn(9), unitBase: r.Intn(n * n), next: 1 + r.Intn(4)}
	}
	flats := make([]int, len(s.Blocks))
	out := make([]housing.Tenancy, 0, s.Tenancies)
	for i := 1; i <= s.Tenancies; i++ {
		ref := fmt.Sprintf("%s-%05d", s.Prefix, i)
		t := housing.Tenancy{ID: DemoTenancyID(ref), Reference: ref, Household: demoHousehold(r), SiteID: s.ID}
		if b := r.Intn(len(s.Blocks) * 4); b < len(s.Blocks) {
			// A block stands on the street of the same index; its flats share
			// one postcode.
			flats[b] += 1 + r.Intn(2)
			st := streets[b%len(streets)]
			t.Address = fmt.Sprintf("Flat %d, %s, %s, %s", flats[b], s.Blocks[b], st.name, s.Town)
			t.Postcode = st.postcode(s.District, 900+b)
		} else {
			st := &streets[r.Intn(len(streets))]
			number := st.next
			st.next += 1 + r.Intn(3)
			t.Address = fmt.Sprintf("%d %s, %s", number, st.name, s.Town)
			t.Postcode = st.postcode(s.District, number)
		}
		out = append(out, t)
	}
	return out
}

// demoHousehold names a household as a landlord's records do: a title and
// name, or a couple.
func demoHousehold(r *rand.Rand) string {
	woman := func() string { return demoWomen[r.Intn(len(demoWomen))] }
	man := func() string { return demoMen[r.Intn(len(demoMen))] }
	surname := func() string { return demoSurnames[r.Intn(len(demoSurnames))] }
	womanTitle := func() string { return []string{"Mrs", "Ms", "Miss"}[r.Intn(3)] }
	switch r.Intn(10) {
	case 0, 1, 2:
		return fmt.Sprintf("%s %s %s", womanTitle(), woman(), surname())
	case 3, 4:
		return fmt.Sprintf("Mr %s %s", man(), surname())
	case 5:
		return fmt.Sprintf("Mr and Mrs %s", surname())
	case 6:
		s := surname()
		return fmt.Sprintf("Mrs %s %s and Mr %s %s", woman(), s, man(), s)
	case 7:
		return fmt.Sprintf("Mr %s %s and Ms %s %s", man(), surname(), woman(), surname())
	case 8:
		return fmt.Sprintf("Ms %s %s and Ms %s %s", woman(), surname(), woman(), surname())
	default:
		return fmt.Sprintf("Miss %s %s", woman(), surname())
	}
}

// DemoSiteNames returns the names of the demo sites with the given IDs,
// joined with ", ", for the start-up banner and README table.
func DemoSiteNames(ids []string) string {
	var names []string
	for _, id := range ids {
		for _, s := range demoSites {
			if s.ID == id {
				names = append(names, s.Name)
			}
		}
	}
	return strings.Join(names, ", ")
}
