package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"strings"

	"github.com/google/uuid"

	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// namespace makes the demo's IDs: a name-based UUID of each officer's
// username and each tenancy's reference, so every demo database has the
// same IDs and tests can name them.
var namespace = uuid.MustParse("3b1e7a52-8c4d-4f0e-9a61-2d5c8e7f1a90")

// tenancySeed fixes the random choices of the demo's households and
// addresses. math/rand's seeded source gives the same sequence on every Go
// release, so the demo never changes under the tests.
const tenancySeed = 20260105

// OfficerID returns the ID the demo gives an officer, by username.
func OfficerID(username string) string {
	return uuid.NewSHA1(namespace, []byte("officer:"+username)).String()
}

// TenancyID returns the ID the demo gives a tenancy, by reference (e.g.
// "RIV-00042").
func TenancyID(reference string) string {
	return uuid.NewSHA1(namespace, []byte("tenancy:"+reference)).String()
}

// ErrHalfMade is returned when the data folder holds a demo landlord whose
// making was cut off (see SeedWithHistory). Nobody can have signed in to
// it; delete the folder and start again.
var ErrHalfMade = errors.New("the demo landlord in this data folder was cut off while it was being made; delete the folder and start again")

// Seed fills a new database with the demo landlord: three sites, the six
// functions, the default service standards, the Users and 200 tenancies,
// written through ReferenceService.Put in one transaction, so a crash
// leaves all or none of it. It does nothing and returns false unless the
// database holds no site, function, account or tenancy (see mayBegin),
// so it is safe to call on every start and never adds the demo's published
// sign-ins beside a real landlord's accounts, even before that landlord has
// loaded its sites.
func Seed(ctx context.Context, db *sqlite.DB) (bool, error) {
	if ok, err := mayBegin(ctx, db); err != nil || !ok {
		return false, err
	}
	return putLandlord(ctx, db, false)
}

// SeedWithHistory is Seed with a few weeks of history ending now (see
// playHistory): visits, promises and feedback, made by driving the public
// SyncService and TenantService as the demo's phones and tenants would.
//
// The history is hundreds of transactions, one per sync, so it cannot be
// all or nothing by itself. Instead the staff are put switched off, and
// switched on by the last transaction, once the history is whole: until
// then no one can sign in, and a demo cut off part-way is one whose
// officers are all demo accounts, all switched off, which no finished
// database can be (the last admin able to sign in can never be switched
// off). On the next start SeedWithHistory recognises it and returns
// ErrHalfMade rather than leave it, or seed over it; its history cannot be
// finished, since it moves with the day it was made.
func SeedWithHistory(ctx context.Context, db *sqlite.DB) (bool, error) {
	if ok, err := mayBegin(ctx, db); err != nil || !ok {
		return false, err
	}
	if ok, err := putLandlord(ctx, db, true); err != nil || !ok {
		return false, err
	}
	if err := playHistory(ctx, db); err != nil {
		return false, fmt.Errorf("demo history: %w", err)
	}
	if _, err := (&sqlite.ReferenceService{DB: db}).Put(ctx, sqlite.Reference{Staff: staff(false)}); err != nil {
		return false, fmt.Errorf("switch on the demo's staff: %w", err)
	}
	return true, nil
}

// mayBegin reports whether the demo may be seeded: the database holds no
// site, function, account or tenancy. The first admin of a real landlord
// is made before any site exists, so sites alone do not tell a new
// database from a real one. It returns ErrHalfMade for a demo cut off
// while it was being made.
func mayBegin(ctx context.Context, db *sqlite.DB) (bool, error) {
	ref := &sqlite.ReferenceService{DB: db}
	officers, err := (&sqlite.OfficerService{DB: db}).Officers(ctx)
	if err != nil {
		return false, err
	}
	if len(officers) > 0 {
		for _, o := range officers {
			if !o.Disabled || !isDemoOfficer(o.ID) {
				return false, nil
			}
		}
		return false, ErrHalfMade
	}
	for _, read := range []func() (int, error){
		func() (int, error) { s, err := ref.Sites(ctx); return len(s), err },
		func() (int, error) { f, err := ref.Functions(ctx); return len(f), err },
		func() (int, error) { t, err := ref.Tenancies(ctx, nil); return len(t), err },
	} {
		if n, err := read(); err != nil || n > 0 {
			return false, err
		}
	}
	return true, nil
}

func isDemoOfficer(id string) bool {
	for _, u := range Users {
		if OfficerID(u.Username) == id {
			return true
		}
	}
	return false
}

// putLandlord writes the demo's reference data in one transaction, its
// staff switched off when off is true. It returns false when the put added
// nothing: another process seeding the same folder put the same records
// first, and finishes the demo itself.
//
// The emptiness check (mayBegin) and this put are two transactions; a
// landlord's first account made in the moment between them, by `doorstep
// user add` on a server's very first start with -demo, would end up beside
// the demo's accounts.
func putLandlord(ctx context.Context, db *sqlite.DB, off bool) (bool, error) {
	ref := sqlite.Reference{
		Sites:     make([]housing.Site, len(sites)),
		Functions: functions,
		Standards: housing.DefaultStandards(),
		Staff:     staff(off),
	}
	for i, s := range sites {
		ref.Sites[i] = s.Site
		r := rand.New(rand.NewSource(tenancySeed + int64(i)))
		ref.Tenancies = append(ref.Tenancies, tenancies(s, r)...)
	}
	// The demo accounts share their published password, and so one hash:
	// a salt protects nothing there, and each hash costs tens of
	// milliseconds.
	hash, err := sqlite.HashPassword(Password)
	if err != nil {
		return false, err
	}
	for i := range ref.Staff {
		ref.Staff[i].PasswordHash = hash
	}
	n, err := (&sqlite.ReferenceService{DB: db}).Put(ctx, ref)
	if err != nil {
		return false, fmt.Errorf("demo landlord: %w", err)
	}
	return n.Added > 0, nil
}

// staff returns the Users as accounts, switched off when off is true,
// without passwords.
func staff(off bool) []sqlite.Staff {
	out := make([]sqlite.Staff, len(Users))
	for i, u := range Users {
		out[i].Officer = housing.Officer{ID: OfficerID(u.Username), Username: u.Username, Name: u.Name, Role: u.Role,
			Sites: u.Sites, Functions: u.Functions, Disabled: off}
	}
	return out
}

// street is a street of the demo with its postcode sector and the next
// free house number.
type street struct {
	name     string
	sector   int
	unitBase int
	next     int
}

// postcode returns the postcode of a number on the street. As in real
// postcodes, neighbouring houses share one, about a dozen to a postcode.
func (s street) postcode(district string, number int) string {
	k := s.unitBase + number/12
	n := len(postcodeUnit)
	return fmt.Sprintf("%s %d%c%c", district, s.sector, postcodeUnit[(k/n)%n], postcodeUnit[k%n])
}

// tenancies makes a site's tenancies, numbered from 1, drawing every
// choice from r: about a quarter are flats in the site's blocks, the rest
// houses on its streets.
func tenancies(s site, r *rand.Rand) []housing.Tenancy {
	n := len(postcodeUnit)
	streets := make([]street, len(s.Streets))
	for i, name := range s.Streets {
		streets[i] = street{name: name, sector: 1 + r.Intn(9), unitBase: r.Intn(n * n), next: 1 + r.Intn(4)}
	}
	flats := make([]int, len(s.Blocks))
	out := make([]housing.Tenancy, 0, s.Tenancies)
	for i := 1; i <= s.Tenancies; i++ {
		ref := fmt.Sprintf("%s-%05d", s.Prefix, i)
		t := housing.Tenancy{ID: TenancyID(ref), Reference: ref, Household: household(r), SiteID: s.ID}
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

// household names a household as a landlord's records do: a title and
// name, or a couple.
func household(r *rand.Rand) string {
	woman := func() string { return women[r.Intn(len(women))] }
	man := func() string { return men[r.Intn(len(men))] }
	surname := func() string { return surnames[r.Intn(len(surnames))] }
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

// SiteNames returns the names of the demo sites with the given IDs, joined
// with ", ", for the start-up banner and README table.
func SiteNames(ids []string) string {
	var names []string
	for _, id := range ids {
		for _, s := range sites {
			if s.ID == id {
				names = append(names, s.Name)
			}
		}
	}
	return strings.Join(names, ", ")
}
