package api

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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
		return "It was cancelled" + excerpt(e.Note)
	case housing.KindCommitmentExtend:
		return "The date changed from " + housing.Date(e.From).Human() + " to " + housing.Date(e.To).Human() + excerpt(e.Note)
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
		return "We did not keep it on time" + excerpt(e.Note)
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

// answerNote is the comment the tenant gave with the answer, shortened: the
// tenant wrote it, so the page only reminds them of it.
func answerNote(c housing.Commitment, to string) string {
	if e := lastAnswer(c, to); e != nil {
		return shorten(e.Note, maxAnswerText)
	}
	return ""
}

// The tenant page keeps to its budget of 20 KB uncompressed (README.md)
// whatever a promise holds: any number of changes, every text at its
// longest, reference data of any length. Each text is shortened to a number
// of bytes as the page writes it, and the history to its latest lines. The
// limits below add up, with the page's fixed parts, to under the budget
// (TestTenantPageBudget checks the heaviest case); raise one only by
// lowering another.
const (
	// maxWhat fits the longest promise (housing.MaxWhat characters) whole,
	// however it is written; only data that bypassed validation is cut.
	maxWhat = 5 * housing.MaxWhat
	// maxLongText is the most a long text told once may take: the latest
	// reason for a new date, the apology, the reason for cancelling. A
	// reason of housing.MaxComment characters in plain words fits whole.
	maxLongText = 3000
	// maxAnswerText is the tenant's own comment, shown back to them.
	maxAnswerText = 1200
	// maxExcerpt is a note's part in one history line: the note in full, if
	// the page shows it, is elsewhere.
	maxExcerpt = 80
	// maxName and maxAddress bound reference data: a team's name, the
	// officer's first name and the first line of the address.
	maxName    = 60
	maxAddress = 200
	// historyShown is how many of the latest history lines the page lists.
	historyShown = 5
)

// excerpt is a note as a history line's tail: ": " and its start, or
// nothing and a full stop when there is no note.
func excerpt(note string) string {
	if note = strings.TrimSpace(note); note == "" {
		return "."
	}
	return ": " + shorten(note, maxExcerpt)
}

// latestHistory keeps the last historyShown lines and says, in words, how
// many came before them; start numbers the first line kept (0 when all
// are kept, so the list numbers itself from 1).
func latestHistory(lines []historyItem) (kept []historyItem, earlier string, start int) {
	n := len(lines) - historyShown
	switch {
	case n <= 0:
		return lines, "", 0
	case n == 1:
		earlier = "1 earlier change is not listed here."
	default:
		earlier = strconv.Itoa(n) + " earlier changes are not listed here."
	}
	return lines[n:], earlier, n + 1
}

// shorten returns s if the page can write it in max bytes, or else its start,
// ended at a word where that keeps most of it, and an ellipsis.
func shorten(s string, max int) string {
	size := 0
	for _, r := range s {
		size += escapedSize(r)
	}
	if size <= max {
		return s
	}
	const ellipsis = "…"
	size, cut, space := 0, 0, 0
	for i, r := range s {
		if size+escapedSize(r) > max-len(ellipsis) {
			cut = i
			break
		}
		size += escapedSize(r)
		if unicode.IsSpace(r) {
			space = i
		}
	}
	if space > cut/2 {
		cut = space
	}
	return strings.TrimRightFunc(s[:cut], unicode.IsSpace) + ellipsis
}

// escapedSize is the most bytes r may take once html/template has escaped
// it: ASCII letters, digits and spaces stay one byte, other ASCII may become
// an entity of up to five (&#39;), other runes take their UTF-8 length, and
// a byte that is not UTF-8 may become the three-byte U+FFFD. It errs high
// so that the bound holds even if the escaper's choices change.
func escapedSize(r rune) int {
	switch {
	case r == utf8.RuneError:
		return utf8.RuneLen(utf8.RuneError)
	case r >= utf8.RuneSelf:
		return utf8.RuneLen(r)
	case r == ' ' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z':
		return 1
	}
	return 5
}
