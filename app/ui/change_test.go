package ui

import (
	"testing"

	"doorstep/shared/housing"
)

func TestChangeSummary(t *testing.T) {
	for kind, want := range map[string]string{
		housing.KindVisitRecord:        "A visit",
		housing.KindCommitmentMake:     "A new promise",
		housing.KindFeedbackGive:       "Feedback",
		housing.KindCommitmentReassign: "A change to a promise (reassign)",
		housing.KindCommitmentExtend:   "A change to a promise (extend)",
	} {
		if got := ChangeSummary(kind); got != want {
			t.Errorf("%s: got %q, want %q", kind, got, want)
		}
	}
}
