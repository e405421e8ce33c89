package housing

import (
	"strings"
	"testing"
)

// TestCheckStandardChange pins what an admin may do to a standard: a
// policy target may change in any way Validate allows; a statutory limit
// may only be tightened.
func TestCheckStandardChange(t *testing.T) {
	law, ok := FindStandard(DefaultStandards(), "repairs.damp_investigate") // 1 to 10 working days, statutory
	if !ok || !law.Statutory {
		t.Fatal("the default standards lost repairs.damp_investigate")
	}
	policy, _ := FindStandard(DefaultStandards(), "repairs.urgent") // 1 to 5 working days
	tests := []struct {
		name   string
		before *Standard
		change func(*Standard)
		field  string // the field of the CodeInvalid error; "" for none
	}{
		{"OKNew", nil, func(s *Standard) {}, ""},
		{"ErrNewInvalid", nil, func(s *Standard) { s.Soonest = -1 }, FieldSoonest},
		{"OKPolicyLoosened", &policy, func(s *Standard) { s.Limit = 15 }, ""},
		{"OKPolicyNoLimit", &policy, func(s *Standard) { s.Limit = 0 }, ""},
		{"OKPolicyMadeStatutory", &policy, func(s *Standard) { s.Statutory = true }, ""},
		{"OKStatutoryTightened", &law, func(s *Standard) { s.Limit = 8 }, ""},
		{"OKStatutorySoonestChanged", &law, func(s *Standard) { s.Soonest = 2 }, ""},
		{"OKStatutoryUnchanged", &law, func(s *Standard) {}, ""},
		{"ErrStatutoryLoosened", &law, func(s *Standard) { s.Limit = 11 }, FieldLimit},
		{"ErrStatutoryNoLimit", &law, func(s *Standard) { s.Limit = 0 }, FieldLimit},
		{"ErrStatutoryNoLongerStatutory", &law, func(s *Standard) { s.Statutory = false }, FieldLimit},
		{"ErrStatutoryUnitChanged", &law, func(s *Standard) { s.Unit, s.Limit = UnitHours, 48 }, FieldUnit},
		{"ErrStatutoryTightenedPastSoonest", &law, func(s *Standard) { s.Soonest, s.Limit = 3, 2 }, FieldLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			after := policy
			if tt.before != nil {
				after = *tt.before
			}
			tt.change(&after)
			err := CheckStandardChange(tt.before, after)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("got %v, want the change allowed", err)
				}
				return
			}
			if ErrorCode(err) != CodeInvalid || ErrorField(err) != tt.field {
				t.Fatalf("got %v (field %q), want invalid about %q", err, ErrorField(err), tt.field)
			}
		})
	}
}

func TestStandardChangeValidate(t *testing.T) {
	st, _ := FindStandard(DefaultStandards(), "repairs.urgent")
	tests := []struct {
		name  string
		c     StandardChange
		field string
	}{
		{"OK", StandardChange{Standard: st, Reason: "The board's target."}, ""},
		{"ErrNoReason", StandardChange{Standard: st, Reason: " \n "}, FieldReason},
		{"ErrLongReason", StandardChange{Standard: st, Reason: strings.Repeat("é", MaxReasonLength+1)}, FieldReason},
		{"OKLongestReason", StandardChange{Standard: st, Reason: strings.Repeat("é", MaxReasonLength)}, ""},
		{"ErrBadStandard", StandardChange{Standard: Standard{ID: st.ID}, Reason: "x"}, FieldFunction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			if got := ErrorField(err); got != tt.field || (tt.field != "" && ErrorCode(err) != CodeInvalid) {
				t.Errorf("got %v (field %q), want field %q", err, got, tt.field)
			}
		})
	}
}
