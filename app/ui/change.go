package ui

import (
	"strings"

	"doorstep/shared/housing"
)

// ChangeSummary says what a change sent from the phone was, by its mutation
// kind, in the words the sync page lists a refused change with.
func ChangeSummary(kind string) string {
	switch kind {
	case housing.KindVisitRecord:
		return "A visit"
	case housing.KindCommitmentMake:
		return "A new promise"
	case housing.KindFeedbackGive:
		return "Feedback"
	}
	return "A change to a promise (" + strings.TrimPrefix(kind, "commitment.") + ")"
}
