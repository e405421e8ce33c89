package sqlite_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/server/synctest"
	"doorstep/shared/housing"
)

// referenceAdmin is an admin's reference service over the synctest
// fixture's landlord, with ada, its admin, signed in.
type referenceAdmin struct {
	*sqlite.ReferenceAdminService
	db   *sqlite.DB
	fx   synctest.Fixture
	sync *sqlite.SyncService
	ada  housing.Principal
}

func newReferenceAdmin(t *testing.T) *referenceAdmin {
	t.Helper()
	db := demotest.Empty(t)
	fx := synctest.Seed(t, db.SQL())
	return &referenceAdmin{ReferenceAdminService: &sqlite.ReferenceAdminService{DB: db}, db: db, fx: fx,
		sync: &sqlite.SyncService{DB: db}, ada: fx.Principal("ada", "ada-laptop")}
}

// count counts the rows of table where cond holds ("1" for all).
func (r *referenceAdmin) count(t *testing.T, table, cond string, args ...any) int {
	t.Helper()
	var n int
	if err := r.db.SQL().QueryRow(`SELECT COUNT(*) FROM `+table+` WHERE `+cond, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// standard returns the stored standard id.
func (r *referenceAdmin) standard(t *testing.T, id string) housing.Standard {
	t.Helper()
	list, err := r.Standards(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s, ok := housing.FindStandard(list, id)
	if !ok {
		t.Fatalf("no standard %s", id)
	}
	return s
}

func TestReferenceAdminPlaces(t *testing.T) {
	ctx := context.Background()
	r := newReferenceAdmin(t)

	t.Run("AddRenameUnchanged", func(t *testing.T) {
		before := r.count(t, "changes", "1")
		got, err := r.PutSite(ctx, r.ada, housing.Site{ID: "eastfield", Name: "  Eastfield Estate "})
		if err != nil || got != (housing.Site{ID: "eastfield", Name: "Eastfield Estate"}) {
			t.Fatalf("add: got %+v, %v", got, err)
		}
		if _, err := r.PutSite(ctx, r.ada, housing.Site{ID: "eastfield", Name: "Eastfield"}); err != nil {
			t.Fatalf("rename: %v", err)
		}
		if _, err := r.PutSite(ctx, r.ada, housing.Site{ID: "eastfield", Name: "Eastfield"}); err != nil {
			t.Fatalf("the same name again: %v", err)
		}
		if got := r.count(t, "changes", "kind = ? AND record_id = ?", housing.RecordSite, "eastfield"); got != 2 {
			t.Errorf("logged %d changes of the site, want 2: the add and the rename, not the unchanged put", got)
		}
		if got := r.count(t, "changes", "1") - before; got != 2 {
			t.Errorf("logged %d changes in all, want 2", got)
		}
		sites, err := r.Sites(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !containsSite(sites, housing.Site{ID: "eastfield", Name: "Eastfield"}) {
			t.Errorf("got sites %+v, want Eastfield renamed", sites)
		}

		team, err := r.PutFunction(ctx, r.ada, housing.Function{ID: "estates", Name: "Estate services"})
		if err != nil || team.Name != "Estate services" {
			t.Fatalf("add a team: got %+v, %v", team, err)
		}
		if _, err := r.PutFunction(ctx, r.ada, housing.Function{ID: housing.FunctionRepairs, Name: "Repairs and maintenance"}); err != nil {
			t.Fatalf("rename repairs: %v", err)
		}
		fns, err := r.Functions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]string{}
		for _, f := range fns {
			names[f.ID] = f.Name
		}
		if names["estates"] != "Estate services" || names[housing.FunctionRepairs] != "Repairs and maintenance" {
			t.Errorf("got teams %v", names)
		}
	})

	t.Run("ErrBadInputChangesNothing", func(t *testing.T) {
		before := r.count(t, "changes", "1")
		for name, put := range map[string]func() error{
			"SiteIDNotASlug": func() error {
				_, err := r.PutSite(ctx, r.ada, housing.Site{ID: "East Field", Name: "East"})
				return err
			},
			"SiteNoName": func() error { _, err := r.PutSite(ctx, r.ada, housing.Site{ID: "riverside", Name: " "}); return err },
			"TeamLongName": func() error {
				_, err := r.PutFunction(ctx, r.ada, housing.Function{ID: "estates", Name: strings.Repeat("x", housing.MaxPlaceName+1)})
				return err
			},
		} {
			if err := put(); housing.ErrorCode(err) != housing.CodeInvalid {
				t.Errorf("%s: got %v, want invalid", name, err)
			}
		}
		if got := r.count(t, "changes", "1"); got != before {
			t.Errorf("refused puts logged %d changes", got-before)
		}
	})

	t.Run("ErrNotAnAdmin", func(t *testing.T) {
		sue := r.fx.Principal("sue", "sue-phone")
		if _, err := r.PutSite(ctx, sue, housing.Site{ID: "riverside", Name: "Sue's"}); housing.ErrorCode(err) != housing.CodeForbidden {
			t.Errorf("a supervisor renames a site: got %v, want forbidden", err)
		}
		if _, err := r.PutFunction(ctx, housing.Principal{}, housing.Function{ID: "x", Name: "X"}); housing.ErrorCode(err) != housing.CodeForbidden {
			t.Errorf("nobody adds a team: got %v, want forbidden", err)
		}
	})
}

func containsSite(list []housing.Site, s housing.Site) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestReferenceAdminSetStandard(t *testing.T) {
	ctx := context.Background()

	t.Run("TightenReachesPhones", func(t *testing.T) {
		r := newReferenceAdmin(t)
		rita := synctest.NewDevice(t, r.sync, r.fx, "rita", "rita-phone")
		rita.PullAll()
		changesBefore := r.count(t, "changes", "1")

		st := r.standard(t, "repairs.damp_investigate")
		before := st
		st.Limit = 8
		got, err := r.SetStandard(ctx, r.ada, housing.StandardChange{Standard: st, Reason: "  Our board set 8 working days. "})
		if err != nil || got != st {
			t.Fatalf("got %+v, %v; want %+v", got, err, st)
		}
		if got := r.standard(t, st.ID); got != st {
			t.Errorf("stored %+v, want %+v", got, st)
		}
		if got := r.count(t, "changes", "1") - changesBefore; got != 1 {
			t.Errorf("logged %d changes, want 1", got)
		}
		hist, err := r.StandardHistory(ctx, st.ID)
		if err != nil || len(hist) != 1 {
			t.Fatalf("history: got %+v, %v; want one change", hist, err)
		}
		h := hist[0]
		if h.By != r.ada.OfficerID || h.ByName != "Ada Lovell" || h.Reason != "Our board set 8 working days." ||
			h.Before == nil || *h.Before != before || h.After != st || h.At.IsZero() {
			t.Errorf("audit %+v, want ada's change from %+v to %+v with the trimmed reason", h, before, st)
		}

		// Rita's phone pulls the new standard at its next sync.
		rita.PullAll()
		var pulled housing.Standard
		if err := json.Unmarshal(rita.Records[housing.RecordStandard+"/"+st.ID], &pulled); err != nil || pulled.Limit != 8 {
			t.Errorf("the phone holds %s, want the limit of 8", rita.Records[housing.RecordStandard+"/"+st.ID])
		}
	})

	t.Run("UnchangedIsNotAudited", func(t *testing.T) {
		r := newReferenceAdmin(t)
		changesBefore := r.count(t, "changes", "1")
		st := r.standard(t, "repairs.urgent")
		got, err := r.SetStandard(ctx, r.ada, housing.StandardChange{Standard: st, Reason: "Checked it."})
		if err != nil || got != st {
			t.Fatalf("got %+v, %v", got, err)
		}
		if n := r.count(t, "standard_audit", "1"); n != 0 {
			t.Errorf("audited %d unchanged standards", n)
		}
		if got := r.count(t, "changes", "1"); got != changesBefore {
			t.Errorf("logged %d changes for an unchanged standard", got-changesBefore)
		}
		if _, err := r.SetStandard(ctx, r.ada, housing.StandardChange{Standard: st}); housing.ErrorField(err) != housing.FieldReason {
			t.Errorf("unchanged without a reason: got %v, want the reason asked for all the same", err)
		}
	})

	t.Run("AddNew", func(t *testing.T) {
		r := newReferenceAdmin(t)
		if _, err := r.PutFunction(ctx, r.ada, housing.Function{ID: "estates", Name: "Estate services"}); err != nil {
			t.Fatal(err)
		}
		st := housing.Standard{ID: "estates.clean", FunctionID: "estates", Kind: "clean", Name: "Clean a communal area",
			Unit: housing.UnitWorkingDays, Soonest: 1, Limit: 5, Source: "Estate services charter."}
		if _, err := r.SetStandard(ctx, r.ada, housing.StandardChange{Standard: st, Reason: "A new team's first standard."}); err != nil {
			t.Fatal(err)
		}
		hist, err := r.StandardHistory(ctx, "")
		if err != nil || len(hist) != 1 || hist[0].Before != nil || hist[0].After != st {
			t.Fatalf("history %+v, %v; want the addition, with nothing before", hist, err)
		}
		st.Limit = 4
		if _, err := r.SetStandard(ctx, r.ada, housing.StandardChange{Standard: st, Reason: "Tighter."}); err != nil {
			t.Fatal(err)
		}
		hist, err = r.StandardHistory(ctx, "")
		if err != nil || len(hist) != 2 || hist[0].After.Limit != 4 || hist[1].After.Limit != 5 {
			t.Fatalf("history %+v, %v; want both changes, newest first", hist, err)
		}
		if hist, _ := r.StandardHistory(ctx, "repairs.urgent"); len(hist) != 0 {
			t.Errorf("another standard's history: got %+v, want none", hist)
		}
	})

	t.Run("ErrRefusalsChangeNothing", func(t *testing.T) {
		r := newReferenceAdmin(t)
		law := r.standard(t, "repairs.damp_investigate")
		policy := r.standard(t, "repairs.urgent")
		with := func(s housing.Standard, change func(*housing.Standard)) housing.Standard {
			change(&s)
			return s
		}
		changesBefore := r.count(t, "changes", "1")
		for _, tt := range []struct {
			name  string
			by    housing.Principal
			c     housing.StandardChange
			code  string
			field string
		}{
			{"StatutoryLoosened", r.ada, housing.StandardChange{Standard: with(law, func(s *housing.Standard) { s.Limit = 12 }), Reason: "Too tight."}, housing.CodeInvalid, housing.FieldLimit},
			{"StatutoryNoLimit", r.ada, housing.StandardChange{Standard: with(law, func(s *housing.Standard) { s.Limit = 0 }), Reason: "x"}, housing.CodeInvalid, housing.FieldLimit},
			{"NoReason", r.ada, housing.StandardChange{Standard: with(policy, func(s *housing.Standard) { s.Limit = 4 }), Reason: "  "}, housing.CodeInvalid, housing.FieldReason},
			{"LongReason", r.ada, housing.StandardChange{Standard: with(policy, func(s *housing.Standard) { s.Limit = 4 }), Reason: strings.Repeat("é", housing.MaxReasonLength+1)}, housing.CodeInvalid, housing.FieldReason},
			{"LimitBeforeSoonest", r.ada, housing.StandardChange{Standard: with(policy, func(s *housing.Standard) { s.Soonest = 6 }), Reason: "x"}, housing.CodeInvalid, housing.FieldLimit},
			{"MovedTeam", r.ada, housing.StandardChange{Standard: with(policy, func(s *housing.Standard) { s.FunctionID = housing.FunctionIncome }), Reason: "x"}, housing.CodeInvalid, housing.FieldFunction},
			{"ChangedKind", r.ada, housing.StandardChange{Standard: with(policy, func(s *housing.Standard) { s.Kind = "quick" }), Reason: "x"}, housing.CodeInvalid, housing.FieldKind},
			{"UnknownTeam", r.ada, housing.StandardChange{Standard: with(policy, func(s *housing.Standard) { s.ID, s.FunctionID = "gardens.urgent", "gardens" }), Reason: "x"}, housing.CodeInvalid, housing.FieldFunction},
			{"KindTaken", r.ada, housing.StandardChange{Standard: with(policy, func(s *housing.Standard) { s.ID = "repairs.urgent2" }), Reason: "x"}, housing.CodeInvalid, housing.FieldKind},
			{"BadID", r.ada, housing.StandardChange{Standard: with(policy, func(s *housing.Standard) { s.ID = "repairs/urgent" }), Reason: "x"}, housing.CodeInvalid, housing.FieldID},
			{"Supervisor", r.fx.Principal("sue", "sue-phone"), housing.StandardChange{Standard: with(policy, func(s *housing.Standard) { s.Limit = 4 }), Reason: "x"}, housing.CodeForbidden, ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := r.SetStandard(ctx, tt.by, tt.c)
				if housing.ErrorCode(err) != tt.code || housing.ErrorField(err) != tt.field {
					t.Fatalf("got %v (field %q), want %s about %q", err, housing.ErrorField(err), tt.code, tt.field)
				}
			})
		}
		if got := r.standard(t, law.ID); got != law {
			t.Errorf("the statutory standard is now %+v, want it as it was", got)
		}
		if got := r.standard(t, policy.ID); got != policy {
			t.Errorf("the policy standard is now %+v, want it as it was", got)
		}
		if n := r.count(t, "standard_audit", "1"); n != 0 {
			t.Errorf("refused changes left %d audit rows", n)
		}
		if got := r.count(t, "changes", "1"); got != changesBefore {
			t.Errorf("refused changes logged %d changes", got-changesBefore)
		}
	})
}
