package housing

import (
	"slices"
	"strings"
)

// MaxTokenName bounds the name an admin gives an integration token.
const MaxTokenName = 100

// Clean returns n as it is stored: the name trimmed, and the teams trimmed,
// without blanks or repeats, in the order given.
func (n NewIntegrationToken) Clean() NewIntegrationToken {
	out := NewIntegrationToken{Name: strings.TrimSpace(n.Name)}
	for _, t := range n.Teams {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(out.Teams, t) {
			out.Teams = append(out.Teams, t)
		}
	}
	return out
}

// Validate says what is wrong with a (cleaned) new integration token: a
// missing or unreadable name, no teams, a team that is not a team's ID, or
// AllTeams named beside other teams (it already means all of them).
// Whether each team exists is checked by the store, which knows the teams.
func (n NewIntegrationToken) Validate() error {
	if err := checkText(FieldName, "token's name (what it is for)", n.Name, MaxTokenName, true); err != nil {
		return err
	}
	switch {
	case len(n.Teams) == 0:
		return Invalid(FieldTeams, "Choose the teams whose events the token reads, or %s for every team.", AllTeams)
	case slices.Contains(n.Teams, AllTeams) && len(n.Teams) > 1:
		return Invalid(FieldTeams, "%s already means every team; give it alone, or name the teams.", AllTeams)
	}
	for _, t := range n.Teams {
		if t == AllTeams {
			continue
		}
		if err := CheckSlug("team", t); err != nil {
			return Invalid(FieldTeams, "There is no team called %q.", t)
		}
	}
	return nil
}
