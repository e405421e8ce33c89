package api

import (
	"strings"

	"doorstep/shared/housing"
)

// This file turns a commitment into the plain words a tenant reads. Staff
// words ("acknowledged", "function") never reach the tenant page.

// teamName is how a tenant hears of a function: "the repairs team".
func teamName(functionName string) string {
	n := strings.ToLower(strings.TrimSpace(functionName))
	if n == "" {
		return "the team"
	}
	if strings.HasSuffix(n, "team") {
		return "the " + n
	}
	return "the " + n + " team"
}

// statusSentence says where the promise stands, in one sentence.
func statusSentence(v housing.TenantView) string {
	c, team := v.Commitment, teamName(v.FunctionName)
	switch c.Status {
	case housing.StatusOpen:
		return "We have recorded this promise. It has been passed to " + team + "."
	case housing.StatusAcknowledged:
		return capital(team) + " has picked this up."
	case housing.StatusDone:
		return capital(team) + " says this has been done. Please tell us if it was."
	case housing.StatusKept:
		return "This has been done, and you told us so. Thank you."
	case housing.StatusDisputed:
		return "You told us this was not done. A manager will look into it and contact you."
	case housing.StatusCancelled:
		return "This promise was cancelled."
	case housing.StatusBroken:
		return "We did not keep this promise on time. We are sorry."
	}
	return ""
}

// historyLine says one event of the audit trail in a tenant's words; ""
// leaves an event out (nothing a tenant needs).
func historyLine(e housing.Event, v housing.TenantView) string {
	switch e.Kind {
	case housing.KindCommitmentMake:
		return "The promise was recorded."
	case housing.KindCommitmentAcknowledge:
		return "The team picked it up."
	case housing.KindCommitmentComplete:
		return "The team said it was done."
	case housing.KindCommitmentCancel:
		return "It was cancelled: " + e.Note
	case housing.KindCommitmentExtend:
		return "The date changed from " + housing.Date(e.From).Human() + " to " + housing.Date(e.To).Human() + ": " + e.Note
	case housing.KindCommitmentReassign:
		// Only the current owner's name is known to the page; an earlier
		// hand-over is told without naming a team.
		if strings.SplitN(e.To, "/", 2)[0] == v.Commitment.FunctionID {
			return "It was passed to " + teamName(v.FunctionName) + "."
		}
		return "It was passed to another team."
	case housing.KindCommitmentEscalate:
		return "A manager is now following it up."
	case housing.KindCommitmentBreak:
		return "We did not keep it on time. " + e.Note
	case housing.KindCommitmentTenant:
		switch e.To {
		case housing.TenantAgreed:
			return "You confirmed this is what was agreed."
		case housing.TenantNotAgreed:
			return "You told us this is not what was agreed."
		case string(housing.StatusKept):
			return "You confirmed it was done."
		case string(housing.StatusDisputed):
			return "You told us it was not done."
		}
	}
	return ""
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// answerOf is the tenant's standing answer on the page, or nil while the
// page should ask: the agreement while the promise is open, the outcome
// once the team has said it is done. due is the promise's date in words.
func answerOf(v housing.TenantView, due string) *tenantAnswer {
	c, team := v.Commitment, teamName(v.FunctionName)
	switch {
	case (c.Status == housing.StatusOpen || c.Status == housing.StatusAcknowledged) && c.TenantAgreement == housing.TenantAgreed:
		return &tenantAnswer{
			Said:     "You told us this is what you agreed" + answeredOn(c, housing.TenantAgreed) + ".",
			Next:     capital(team) + " will do it by " + due + ". When they say it is done, this page will ask you whether it was.",
			ChangeTo: housing.TenantNotAgreed, ChangeLabel: "This isn't right", Class: "no",
			CommentLabel: "Tell us what you agreed (optional)",
		}
	case (c.Status == housing.StatusOpen || c.Status == housing.StatusAcknowledged) && c.TenantAgreement == housing.TenantNotAgreed:
		return &tenantAnswer{
			Said: "You told us this is not what you agreed" + answeredOn(c, housing.TenantNotAgreed) + ".", Comment: answerNote(c, housing.TenantNotAgreed),
			Next:     "A manager will look at this promise and contact you. " + capital(team) + " still has it to do.",
			ChangeTo: housing.TenantAgreed, ChangeLabel: "Yes, this is what we agreed", Class: "yes",
		}
	case c.Status == housing.StatusKept && c.TenantOutcome == housing.TenantDone:
		next := "Nothing more is needed from you."
		if !v.ExpiresAt.IsZero() {
			next += " This page keeps working until " + housing.LocalDate(v.ExpiresAt).Human() + ", in case you need to tell us otherwise."
		}
		return &tenantAnswer{
			Said: "You told us it was done" + answeredOn(c, string(housing.StatusKept)) + ".", Next: next,
			ChangeTo: housing.TenantNotDone, ChangeLabel: "No, it wasn't done", Class: "no",
			CommentLabel: "Tell us what is still wrong (optional)",
		}
	case c.Status == housing.StatusDisputed && c.TenantOutcome == housing.TenantNotDone:
		return &tenantAnswer{
			Said: "You told us it was not done" + answeredOn(c, string(housing.StatusDisputed)) + ".", Comment: answerNote(c, string(housing.StatusDisputed)),
			Next:     "A manager will look into it and contact you.",
			ChangeTo: housing.TenantDone, ChangeLabel: "Yes, it was done", Class: "yes",
		}
	}
	return nil
}

// lastAnswer is the latest tenant event that set the answer to, or nil.
func lastAnswer(c housing.Commitment, to string) *housing.Event {
	for i := len(c.History) - 1; i >= 0; i-- {
		if e := c.History[i]; e.Kind == housing.KindCommitmentTenant && e.To == to {
			return &c.History[i]
		}
	}
	return nil
}

// answeredOn says when the tenant gave the answer: " on Wed 2 Dec 2026 at
// 14:05", in the landlord's time.
func answeredOn(c housing.Commitment, to string) string {
	e := lastAnswer(c, to)
	if e == nil {
		return ""
	}
	t := housing.LocalTime(e.At)
	return " on " + housing.DateOf(t).Human() + " at " + t.Format("15:04")
}

// answerNote is the comment the tenant gave with the answer.
func answerNote(c housing.Commitment, to string) string {
	if e := lastAnswer(c, to); e != nil {
		return e.Note
	}
	return ""
}
