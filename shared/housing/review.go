package housing

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"
)

// This file is what supervisors review: the attention queues, the filter
// that narrows them, the tenancy timeline and the exports; the measures are
// in measures.go. The rules that put a commitment in a queue live here and
// nowhere else, so the server's reports, the app's screens and the tests
// agree.

// Queue names. Their spelling crosses the network and never changes.
const (
	QueueOverdue        = "overdue"        // due date passed, still open or picked up
	QueueDueSoon        = "due_soon"       // due today or within DueSoonDays working days
	QueueDisputed       = "disputed"       // the tenant says it is not right, or not done
	QueueUnacknowledged = "unacknowledged" // a handoff no one in the owning function has picked up
	QueueBroken         = "broken"         // a supervisor recorded that it was not kept in time
	QueueAttention      = "attention"      // sync mutations the server refused
)

// QueueNames lists the queues in the order the supervisor's screen shows them.
var QueueNames = []string{QueueOverdue, QueueDueSoon, QueueDisputed, QueueUnacknowledged, QueueBroken, QueueAttention}

// QueueLabel is a queue's name in plain words.
func QueueLabel(q string) string {
	switch q {
	case QueueOverdue:
		return "Overdue"
	case QueueDueSoon:
		return "Due in the next 5 working days"
	case QueueDisputed:
		return "Disputed by the tenant"
	case QueueUnacknowledged:
		return "Not picked up after 2 working days"
	case QueueBroken:
		return "Broken"
	case QueueAttention:
		return "Needs attention (refused by the server)"
	}
	return q
}

// DueSoonDays is how many working days ahead the due-soon queue looks.
const DueSoonDays = 5

// AcknowledgeDays is how many working days the owning function has to pick
// up a handoff before it shows as one that fell between teams.
const AcknowledgeDays = 2

// ReviewQueues returns the commitment queues c is in on day today, in
// QueueNames order. A commitment can be in more than one (overdue and not
// picked up, say); QueueAttention holds refused mutations, not commitments.
func (c Commitment) ReviewQueues(today Date) []string {
	var qs []string
	if c.Overdue(today) {
		qs = append(qs, QueueOverdue)
	}
	if c.dueSoon(today) {
		qs = append(qs, QueueDueSoon)
	}
	if c.DisputedByTenant() {
		qs = append(qs, QueueDisputed)
	}
	if c.Unacknowledged(today) {
		qs = append(qs, QueueUnacknowledged)
	}
	if c.Broken() {
		qs = append(qs, QueueBroken)
	}
	return qs
}

// HomeList is the list on an officer's home screen that c belongs in on
// day today: QueueOverdue, QueueBroken, QueueDueSoon, or "" for none. It
// follows the supervisors' queues (ReviewQueues), so a phone and a
// supervisor never disagree about what is overdue: a broken promise is
// listed as broken, never as overdue, on both.
func (c Commitment) HomeList(today Date) string {
	switch {
	case c.Overdue(today):
		return QueueOverdue
	case c.Broken():
		return QueueBroken
	case c.dueSoon(today):
		return QueueDueSoon
	}
	return ""
}

// dueSoon reports whether c is still to be delivered and due between today
// and DueSoonDays working days from today, both included. Weekends and bank
// holidays do not count, so on the Thursday before Easter the window reaches
// further than on a Monday.
func (c Commitment) dueSoon(today Date) bool {
	if c.Status != StatusOpen && c.Status != StatusAcknowledged {
		return false
	}
	return !c.DueDate.Before(today) && !AddWorkingDays(today, DueSoonDays).Before(c.DueDate)
}

// DisputedByTenant reports whether the tenant has said, through their link,
// that the promise is not what was agreed or was not done, and nothing has
// settled it since: a later "it was done" (kept) or a cancellation does.
func (c Commitment) DisputedByTenant() bool {
	if c.Status == StatusDisputed {
		return true
	}
	return c.TenantAgreement == TenantNotAgreed && c.Status != StatusKept && c.Status != StatusCancelled
}

// HandedOverAt is when the current owning function received the promise:
// its last reassignment, or when the server received it if it was never
// reassigned.
func (c Commitment) HandedOverAt() time.Time {
	at := c.ReceivedAt
	for _, e := range c.History {
		if e.Kind == KindCommitmentReassign && e.At.After(at) {
			at = e.At
		}
	}
	return at
}

// Unacknowledged reports whether c is still open (nobody in the owning
// function has picked it up) AcknowledgeDays working days or more after it
// was handed over: a handoff that fell between teams. Handed over on
// Christmas Eve 2026, a Thursday, with bank holidays on the Friday and the
// Monday, it shows on Wednesday the 30th.
func (c Commitment) Unacknowledged(today Date) bool {
	at := c.HandedOverAt()
	if c.Status != StatusOpen || at.IsZero() {
		return false
	}
	return !today.Before(AddWorkingDays(LocalDate(at), AcknowledgeDays))
}

// DaysOver is how many calendar days c is past its due date on day today;
// zero or less when it is not yet due (-2: due in two days).
func (c Commitment) DaysOver(today Date) int {
	if !c.DueDate.Valid() || !today.Valid() {
		return 0
	}
	return int(today.Time().Sub(c.DueDate.Time()).Hours() / 24)
}

// ReviewFilter chooses what a supervisor reviews. Empty fields do not
// narrow. The supervisor's own scope (their sites and functions; everything
// for an admin) always applies on top, so a filter can only narrow it.
//
// From and To are days in the landlord's time zone, both included. In the
// queues they bound the due date; in the measures and the exports they bound
// the day a commitment or feedback reached the server. Feedback has no
// function, so Functions narrows commitments only.
type ReviewFilter struct {
	Sites     []string `json:"sites,omitempty"`
	Functions []string `json:"functions,omitempty"`
	OfficerID string   `json:"officer_id,omitempty"` // made by or owned by this officer
	Status    Status   `json:"status,omitempty"`
	From      Date     `json:"from,omitempty"`
	To        Date     `json:"to,omitempty"`
}

// MaxFilterValues is the most sites, and the most functions, that one
// ReviewFilter may name: more than any landlord has, and few enough that
// the filter stays a small query. Validate refuses more with CodeInvalid.
const MaxFilterValues = 100

// A filter's dates fall within FirstFilterDate and LastFilterDate: every
// day a landlord could have records for, and few enough weeks that a
// report's trend stays a small answer. Validate refuses others with
// CodeInvalid.
const (
	FirstFilterDate Date = "2000-01-01"
	LastFilterDate  Date = "2099-12-31"
)

// Statuses lists every status in the order a filter offers them.
var Statuses = []Status{StatusOpen, StatusAcknowledged, StatusDone, StatusKept, StatusDisputed, StatusBroken, StatusCancelled}

// Validate checks a filter as it arrived in a request.
func (f ReviewFilter) Validate() error {
	switch {
	case len(f.Sites) > MaxFilterValues:
		return Invalid(FieldSites, "A filter may name at most %d sites; this one names %d.", MaxFilterValues, len(f.Sites))
	case len(f.Functions) > MaxFilterValues:
		return Invalid(FieldFunctions, "A filter may name at most %d functions; this one names %d.", MaxFilterValues, len(f.Functions))
	case f.From != "" && !f.From.Valid():
		return Invalid(FieldFrom, "The start date %q is not a real date.", f.From)
	case f.To != "" && !f.To.Valid():
		return Invalid(FieldTo, "The end date %q is not a real date.", f.To)
	case f.From != "" && (f.From.Before(FirstFilterDate) || LastFilterDate.Before(f.From)):
		return Invalid(FieldFrom, "Choose dates from %s to %s.", FirstFilterDate.Human(), LastFilterDate.Human())
	case f.To != "" && (f.To.Before(FirstFilterDate) || LastFilterDate.Before(f.To)):
		return Invalid(FieldTo, "Choose dates from %s to %s.", FirstFilterDate.Human(), LastFilterDate.Human())
	case f.From != "" && f.To != "" && f.To.Before(f.From):
		return Invalid(FieldTo, "The end date is before the start date.")
	case f.Status != "" && !slices.Contains(Statuses, f.Status):
		return Invalid(FieldStatus, "%q is not a status a promise can have.", f.Status)
	}
	return nil
}

// Query writes f as a URL query string (without "?"), the form the review
// routes read with ReviewFilterFrom.
func (f ReviewFilter) Query() string {
	v := url.Values{}
	for _, s := range f.Sites {
		v.Add("site", s)
	}
	for _, fn := range f.Functions {
		v.Add("function", fn)
	}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("officer", f.OfficerID)
	set("status", string(f.Status))
	set("from", string(f.From))
	set("to", string(f.To))
	return v.Encode()
}

// ReviewFilterFrom reads a filter from a query string: site and function
// (each repeated, or comma-separated; at most MaxFilterValues of each),
// officer, status, and from and to as YYYY-MM-DD. It does not validate;
// call Validate.
func ReviewFilterFrom(v url.Values) ReviewFilter {
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return ReviewFilter{
		Sites:     splitParam(v["site"]),
		Functions: splitParam(v["function"]),
		OfficerID: get("officer"),
		Status:    Status(get("status")),
		From:      Date(get("from")),
		To:        Date(get("to")),
	}
}

func splitParam(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// Names of what a review row refers to, resolved by the server so a
// supervisor's phone does not need every site's reference data.
type Names struct {
	TenancyRef   string `json:"tenancy_ref"`
	SiteName     string `json:"site_name"`
	FunctionName string `json:"function_name"`
	OwnerName    string `json:"owner_name,omitempty"`
}

// QueueItem is one commitment in one queue.
type QueueItem struct {
	Queue      string     `json:"queue"`
	Commitment Commitment `json:"commitment"`
	DaysOver   int        `json:"days_over"` // Commitment.DaysOver on the review's day
	Names
}

// AttentionItem is one refused sync mutation, with whose it is.
type AttentionItem struct {
	Attention   Attention `json:"attention"`
	OfficerName string    `json:"officer_name"`
	What        string    `json:"what,omitempty"` // the promise it was about, when there is one in scope
}

// QueueCount is how many rows one queue holds.
type QueueCount struct {
	Queue string `json:"queue"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// ReviewOptions are the choices a supervisor's filters and actions offer:
// every site and function (a filter outside the supervisor's scope narrows
// to nothing, and a promise can be reassigned to any team) and every
// officer who can sign in.
type ReviewOptions struct {
	Sites     []Site     `json:"sites"`
	Functions []Function `json:"functions"`
	Officers  []Officer  `json:"officers"`
}

// Queues is the supervisor's attention list as of one day.
type Queues struct {
	Today     Date            `json:"today"`
	LoadedAt  time.Time       `json:"loaded_at"` // server time; the app shows the age of what it keeps offline
	Filter    ReviewFilter    `json:"filter"`
	Counts    []QueueCount    `json:"counts"` // in QueueNames order
	Items     []QueueItem     `json:"items"`  // by queue, then most days over first
	Attention []AttentionItem `json:"attention"`
	Options   ReviewOptions   `json:"options"`
}

// Timeline entry kinds.
const (
	EntryVisit      = "visit"
	EntryCommitment = "commitment" // the promise was made
	EntryEvent      = "event"      // something happened to a promise later
	EntryFeedback   = "feedback"
	EntryCase       = "case" // a complaint or hazard case was opened; its steps are promises
)

// TimelineEntry is one thing that happened at a tenancy. Exactly one of
// Visit, Commitment, Event, Feedback and Case is set. An event names its promise
// by CommitmentID and What; the promise's own entry carries it in full. A
// case's entry carries it in full too (Case).
type TimelineEntry struct {
	Kind         string      `json:"kind"`
	At           time.Time   `json:"at"`
	ByName       string      `json:"by_name,omitempty"`
	SiteName     string      `json:"site_name,omitempty"`
	FunctionName string      `json:"function_name,omitempty"` // a promise's owning function
	Visit        *Visit      `json:"visit,omitempty"`
	Commitment   *Commitment `json:"commitment,omitempty"`
	Event        *Event      `json:"event,omitempty"`
	CommitmentID string      `json:"commitment_id,omitempty"` // an event's promise
	What         string      `json:"what,omitempty"`          // an event's promise, in plain words
	Feedback     *Feedback   `json:"feedback,omitempty"`
	Case         *Case       `json:"case,omitempty"`
}

// Timeline is everything recorded for one household that the reader's
// scope covers, in time order, whoever made it and whichever site or
// function they work in.
type Timeline struct {
	Tenancy  Tenancy         `json:"tenancy"`
	SiteName string          `json:"site_name"`
	LoadedAt time.Time       `json:"loaded_at"`
	Entries  []TimelineEntry `json:"entries"`
	// Hidden counts the visits, promises and feedback at this household
	// that belong to sites and teams outside the reader's scope, and so are
	// not in Entries.
	Hidden int `json:"hidden,omitempty"`
	// Names holds the name of every function and officer an entry mentions
	// by ID (a reassignment's from and to), so the app can say who.
	Names map[string]string `json:"names"`
}

// EntryTime is when a record happened, for ordering a timeline: the
// device's clock, unless that is after the server received it (a phone
// clock running fast), when the server's clock is believed instead.
func EntryTime(m Meta) time.Time {
	if m.HappenedAt.IsZero() || (!m.ReceivedAt.IsZero() && m.HappenedAt.After(m.ReceivedAt)) {
		return m.ReceivedAt
	}
	return m.HappenedAt
}

// ReviewService is what supervisors read. Every method returns
// CodeForbidden unless p is a supervisor or an admin, and reads only
// within p's scope: commitments on p's sites or owned by p's functions,
// feedback and visits on p's sites, refused mutations of officers who share
// a site or function with p (an admin: everything). Actions are not here:
// a supervisor reassigns, extends, escalates and breaks through sync, like
// any other change.
type ReviewService interface {
	// Queues returns the attention queues as of today (CodeInvalid for a
	// bad filter).
	Queues(ctx context.Context, p Principal, f ReviewFilter) (Queues, error)
	// Timeline returns everything recorded at one tenancy. A tenancy p may
	// not see is CodeNotFound, so IDs cannot be probed.
	Timeline(ctx context.Context, p Principal, tenancyID string) (Timeline, error)
	// Measures returns the measures for the filter's period (by default the
	// eight weeks to today).
	Measures(ctx context.Context, p Principal, f ReviewFilter) (Measures, error)
	// ExportCommitments and ExportFeedback write one header row and then one
	// row per record, as they are read, to w; a CSV writer keeps memory flat
	// however long the period.
	ExportCommitments(ctx context.Context, p Principal, f ReviewFilter, w RowWriter) error
	ExportFeedback(ctx context.Context, p Principal, f ReviewFilter, w RowWriter) error
}

// RowWriter takes one row of an export at a time; encoding/csv's Writer
// fits once wrapped to make each cell safe.
type RowWriter interface {
	WriteRow(cells []string) error
}
