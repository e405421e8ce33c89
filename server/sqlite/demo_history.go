package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"time"

	"github.com/google/uuid"

	"doorstep/shared/housing"
)

// demoHistorySeed fixes the demo history's random choices.
const demoHistorySeed = 20261123

// demoHistoryDays is how many working days of history the demo has: four
// weeks, enough for promises kept, kept late, broken and overdue.
const demoHistoryDays = 20

// SeedDemoHistory gives the demo landlord (SeedDemo) a few weeks of history
// ending now: visits, promises kept on time, kept late, broken, disputed by
// the tenant, cancelled, reassigned, extended and not yet picked up by the
// owning team, and feedback with the Tenant Satisfaction Measures answers,
// including a complaint or two routed to the complaints team. Everything
// goes through the same apply path as a phone's sync, dated as if it had
// synced on the day, so the change log, histories and provenance are real.
//
// It does nothing when a visit exists or the demo's staff are missing (a
// real landlord's database). The same day gives the same history; the
// history moves with the date, so the supervisors' queues always have
// something due, overdue and waiting. All of it is one transaction.
func (db *DB) SeedDemoHistory(ctx context.Context) error {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM visits`).Scan(&n); err != nil {
		return fmt.Errorf("count visits: %w", err)
	}
	if n > 0 {
		return nil
	}
	staff, err := demoStaff(ctx, db.db)
	if err != nil || staff == nil {
		return err
	}
	tenancies, err := readTenancies(ctx, db.db, "1 ORDER BY reference")
	if err != nil {
		return err
	}
	now := db.Now().UTC()
	steps := planDemoHistory(now, staff, tenancies)

	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM visits`).Scan(&n); err != nil || n > 0 {
		return err // another process seeded first
	}
	for i, s := range steps {
		tx.now = s.at
		if err := s.apply(ctx, tx); err != nil {
			return fmt.Errorf("demo history step %d (%s %s): %w", i, s.m.Kind, s.m.RecordID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit demo history: %w", err)
	}
	return nil
}

// DemoTenantToken returns the tenant link token of a demo promise. Demo
// tokens are derived from the promise's ID, so the demo's links can be
// printed and followed; real tokens are random and made on the phone.
func DemoTenantToken(commitmentID string) string {
	sum := sha256.Sum256([]byte("doorstep demo token:" + commitmentID))
	return base64.RawURLEncoding.EncodeToString(sum[:housing.TokenBytes])
}

// demoStep is one thing that happened in the demo history: a mutation by a
// principal, received by the server at at.
type demoStep struct {
	at       time.Time
	order    int // ties on at keep the order they were planned in
	p        housing.Principal
	m        housing.Mutation
	feedback *housing.Feedback // a tenant's feedback through the link of m.RecordID
	// refused marks a change the server refuses, as it would from a phone
	// that was offline while others moved on: it becomes a "needs
	// attention" item for the officer and their supervisors.
	refused bool
}

func (s demoStep) apply(ctx context.Context, tx *Tx) error {
	if s.feedback != nil {
		_, err := giveTenantFeedback(ctx, tx, s.m.RecordID, *s.feedback)
		return err
	}
	a := &applier{tx: tx, p: s.p, device: s.p.DeviceID}
	if s.refused {
		r, err := a.applyOne(ctx, s.m) // keeps the refusal, as a sync does
		if err != nil {
			return err
		}
		if r.Status != housing.ResultRejected && r.Status != housing.ResultConflict {
			return fmt.Errorf("got %s, want it refused", r.Status)
		}
		return nil
	}
	r, err := a.apply(ctx, s.m)
	if err != nil {
		return err
	}
	if r.Status != housing.ResultApplied {
		return fmt.Errorf("got %s", r.Status)
	}
	return nil
}

// demoStaffMember is a demo officer as the history needs them.
type demoStaffMember struct {
	housing.Principal
	username string
}

// demoStaff returns the demo's officers as principals on their own demo
// phones, in DemoUsers order, or nil when any is missing.
func demoStaff(ctx context.Context, q sqlQuerier) ([]demoStaffMember, error) {
	var out []demoStaffMember
	for _, u := range DemoUsers {
		os, err := readPublicOfficers(ctx, q, "id = ?", DemoOfficerID(u.Username))
		if err != nil {
			return nil, err
		}
		if len(os) == 0 {
			return nil, nil
		}
		o := os[0]
		out = append(out, demoStaffMember{username: u.Username, Principal: housing.Principal{
			OfficerID: o.ID, Name: o.Name, Role: o.Role, Sites: o.Sites, Functions: o.Functions,
			SessionID: "demo", DeviceID: "demo-" + u.Username,
		}})
	}
	return out, nil
}

// demoPlanner draws the demo history.
type demoPlanner struct {
	r         *rand.Rand
	now       time.Time
	staff     []demoStaffMember
	standards []housing.Standard
	steps     []demoStep
	ids       int
	refusals  int // stale cancellations planned so far
}

// planDemoHistory returns the demo's steps in the order the server receives
// them, leaving out anything that would happen after now.
func planDemoHistory(now time.Time, staff []demoStaffMember, tenancies []housing.Tenancy) []demoStep {
	pl := &demoPlanner{r: rand.New(rand.NewSource(demoHistorySeed)), now: now, staff: staff, standards: housing.DefaultStandards()}
	bySite := map[string][]housing.Tenancy{}
	for _, t := range tenancies {
		bySite[t.SiteID] = append(bySite[t.SiteID], t)
	}
	today := housing.LocalDate(now)
	for d := housing.AddWorkingDays(today, -demoHistoryDays); !today.Before(d); d = housing.AddWorkingDays(d, 1) {
		for _, o := range staff {
			purposes := demoPurposes[demoVisitFunction(o.Principal)]
			if o.Role != housing.RoleOfficer || purposes == nil {
				continue
			}
			visits := 2 + pl.r.Intn(3)
			for slot := 0; slot < visits; slot++ {
				site := o.Sites[pl.r.Intn(len(o.Sites))]
				ts := bySite[site]
				if len(ts) == 0 {
					continue
				}
				pl.visit(o.Principal, ts[pl.r.Intn(len(ts))], d, slot, purposes)
			}
		}
	}
	steps := pl.steps[:0]
	for _, s := range pl.steps {
		if !s.at.After(now) {
			steps = append(steps, s)
		}
	}
	sort.SliceStable(steps, func(i, j int) bool {
		if !steps[i].at.Equal(steps[j].at) {
			return steps[i].at.Before(steps[j].at)
		}
		return steps[i].order < steps[j].order
	})
	return steps
}

// demoVisitFunction is the function an officer visits for: the first of
// theirs that makes visits.
func demoVisitFunction(p housing.Principal) string {
	for _, f := range p.Functions {
		if demoPurposes[f] != nil {
			return f
		}
	}
	return ""
}

var demoPurposes = map[string][]housing.Purpose{
	housing.FunctionTenancy: {housing.PurposeTenancyAudit, housing.PurposeWelfareCheck, housing.PurposeEstateInspection, housing.PurposeNewTenancy, housing.PurposeRepairs},
	housing.FunctionIncome:  {housing.PurposeArrears},
	housing.FunctionASB:     {housing.PurposeASB, housing.PurposeWelfareCheck},
}

// demoPromises are things officers promise at the door, by owning function
// and the kind of standard they fall under.
var demoPromises = map[string][]struct{ kind, what string }{
	housing.FunctionRepairs: {
		{"routine", "Replace the kitchen tap that drips constantly"},
		{"routine", "Fix the back bedroom window that will not close"},
		{"urgent", "Repair the front door lock, which sticks"},
		{"urgent", "Fix the leak under the bathroom sink"},
		{"damp_investigate", "Inspect the black mould in the back bedroom"},
		{"routine", "Re-hang the garden gate"},
		{"emergency", "Make safe the exposed wiring at the light switch"},
	},
	housing.FunctionIncome: {
		{"callback", "Call back about the rent account balance"},
		{"payment_plan", "Set up a payment plan for the arrears"},
		{"benefit_referral", "Refer to the money advice service for a benefits check"},
	},
	housing.FunctionTenancy: {
		{"follow_up", "Visit again to check the garden has been cleared"},
		{"follow_up", "Send a copy of the tenancy agreement"},
		{"general", "Add the new baby to the household record"},
	},
	housing.FunctionASB: {
		{"case_review", "Call back about the noise from the flat above"},
		{"case_review", "Send diary sheets to record the noise"},
	},
	housing.FunctionLettings: {
		{"general", "Ask lettings about a move to a ground-floor flat"},
	},
}

// demoFunctionWeights picks the function that owns a promise: repairs most
// often, as on any estate.
var demoFunctionWeights = []struct {
	function string
	weight   int
}{
	{housing.FunctionRepairs, 45}, {housing.FunctionIncome, 15}, {housing.FunctionTenancy, 20},
	{housing.FunctionASB, 12}, {housing.FunctionLettings, 8},
}

func (pl *demoPlanner) id(kind string) string {
	pl.ids++
	return uuid.NewSHA1(demoNamespace, []byte(fmt.Sprintf("%s:%d", kind, pl.ids))).String()
}

// at returns the instant of hour:minute on working day d in the landlord's
// time zone (clocks change on Sundays, never on a working day).
func at(d housing.Date, hour, minute int) time.Time {
	return housing.LocalMidnight(d).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute).UTC()
}

// add plans p's mutation of kind on record id, saved on the phone at when,
// and returns when the server receives it: a little later, once the phone
// found a signal. Base versions are left out (0), as a phone that never saw
// a newer version would send them.
func (pl *demoPlanner) add(when time.Time, p housing.Principal, kind, id string, data any) time.Time {
	received := when.Add(time.Duration(2+pl.r.Intn(50)) * time.Minute)
	pl.steps = append(pl.steps, demoStep{at: received, order: len(pl.steps), p: p,
		m: housing.Mutation{Kind: kind, RecordID: id, HappenedAt: when, Data: mustJSON(data)}})
	return received
}

func (pl *demoPlanner) visit(o housing.Principal, t housing.Tenancy, d housing.Date, slot int, purposes []housing.Purpose) {
	start := at(d, 9+2*slot, pl.r.Intn(50))
	v := housing.Visit{
		ID: pl.id("visit"), TenancyID: t.ID, OfficerID: o.OfficerID, SiteID: t.SiteID,
		Purpose: purposes[pl.r.Intn(len(purposes))], Notes: demoNotes[pl.r.Intn(len(demoNotes))],
		StartedAt: start, EndedAt: start.Add(time.Duration(15+pl.r.Intn(40)) * time.Minute),
	}
	received := pl.add(v.EndedAt, o, housing.KindVisitRecord, v.ID, v)
	if pl.r.Intn(100) < 55 {
		pl.promise(o, t, v, d)
	}
	if pl.r.Intn(100) < 35 {
		pl.feedback(o, t, v, received)
	}
}

var demoNotes = []string{
	"Tenant at home; spoke at the door.",
	"Walked round the property with the tenant.",
	"Tenant's daughter present and translated.",
	"Communal areas tidy; bin store full.",
	"Tenant well; no concerns raised.",
	"Discussed the rent account and upcoming changes.",
	"Tenant raised noise from neighbours again.",
}

func (pl *demoPlanner) pickFunction() string {
	n := pl.r.Intn(100)
	for _, w := range demoFunctionWeights {
		if n < w.weight {
			return w.function
		}
		n -= w.weight
	}
	return housing.FunctionRepairs
}

// promise has o make a promise at the visit, then plays out what happens to
// it: picked up, done on time or late, confirmed or disputed by the tenant,
// broken, cancelled, moved to another team, extended or left waiting. Each
// step of one promise reaches the server after the one before, so the state
// machine sees them in a possible order.
func (pl *demoPlanner) promise(o housing.Principal, t housing.Tenancy, v housing.Visit, d housing.Date) {
	fn := pl.pickFunction()
	pick := demoPromises[fn][pl.r.Intn(len(demoPromises[fn]))]
	std, _ := housing.FindStandard(pl.standards, fn+"."+pick.kind)
	due := housing.AddWorkingDays(d, 1)
	if std.Unit == housing.UnitWorkingDays {
		lo, hi := max(std.Soonest, 1), std.Limit
		if hi < lo {
			hi = lo
		}
		due = housing.AddWorkingDays(d, lo+pl.r.Intn(hi-lo+1))
	}
	c := housing.Commitment{
		ID: pl.id("commitment"), TenancyID: t.ID, VisitID: v.ID, SiteID: t.SiteID, Household: t.Household, Address: t.Address,
		MadeBy: o.OfficerID, MadeByName: o.Name, FunctionID: fn, What: pick.what, StandardID: std.ID, DueDate: due,
	}
	c.Token = DemoTenantToken(c.ID)
	last := pl.add(v.EndedAt.Add(2*time.Minute), o, housing.KindCommitmentMake, c.ID, c)
	// then returns when a step planned for t happens: t, or just after the
	// step before.
	then := func(t time.Time) time.Time {
		if !t.After(last) {
			t = last.Add(time.Duration(5+pl.r.Intn(30)) * time.Minute)
		}
		return t
	}
	act := func(t time.Time, p housing.Principal, kind string, a housing.CommitmentAction) time.Time {
		last = pl.add(then(t), p, kind, c.ID, a)
		return last
	}
	answer := func(t time.Time, answer string) time.Time {
		last = pl.tenant(then(t), c.ID, answer)
		return last
	}

	// The tenant often opens the link the same day and confirms the promise.
	if n := pl.r.Intn(100); n < 50 {
		answer(last.Add(time.Duration(30+pl.r.Intn(300))*time.Minute), housing.TenantAgreed)
	} else if n < 54 {
		answer(last.Add(time.Duration(30+pl.r.Intn(300))*time.Minute), housing.TenantNotAgreed)
	}

	outcome := pl.r.Intn(100)
	// Some promises go to the wrong team first and are moved before anyone
	// picks them up.
	if outcome < 8 {
		next := housing.FunctionIncome
		if fn == housing.FunctionIncome {
			next = housing.FunctionTenancy
		}
		act(at(housing.AddWorkingDays(d, 1), 10, pl.r.Intn(60)), o, housing.KindCommitmentReassign,
			housing.CommitmentAction{FunctionID: next, Reason: "This is for the " + next + " team, not " + fn + "."})
		fn = next
	}
	team := pl.teamMember(fn, t.SiteID)
	boss := pl.supervisorFor(fn, t.SiteID)

	switch {
	case outcome >= 92: // never picked up: a handoff that fell between teams
		return
	case outcome >= 87: // cancelled by the officer who made it
		act(at(housing.AddWorkingDays(d, 1), 15, pl.r.Intn(60)), o, housing.KindCommitmentCancel,
			housing.CommitmentAction{Reason: "The tenant sorted this out themselves."})
		return
	}
	ack := act(at(housing.AddWorkingDays(d, pl.r.Intn(2)+1), 9, pl.r.Intn(120)), team, housing.KindCommitmentAcknowledge, housing.CommitmentAction{})
	if pl.r.Intn(100) < 10 {
		act(ack.Add(3*time.Hour), o, housing.KindCommitmentEscalate, housing.CommitmentAction{Reason: "Third time the tenant has asked about this."})
	}
	if pl.r.Intn(100) < 8 && std.Unit == housing.UnitWorkingDays {
		due = housing.AddWorkingDays(due, 5)
		act(ack.Add(5*time.Hour), o, housing.KindCommitmentExtend, housing.CommitmentAction{DueDate: due, Reason: "Parts are on order; the supplier needs another week."})
	}

	// doneOn returns when the work is marked done: up to two working days
	// before the due date, or late working days after it.
	doneOn := func(late int) time.Time {
		day := housing.AddWorkingDays(due, late)
		if late <= 0 {
			day = housing.AddWorkingDays(due, -pl.r.Intn(3))
		}
		return at(day, 11, pl.r.Intn(300))
	}
	switch {
	case outcome < 40: // kept on time, and the tenant says so
		done := act(doneOn(0), team, housing.KindCommitmentComplete, housing.CommitmentAction{})
		pl.staleCancel(o, c.ID, done)
		kept := answer(done.Add(time.Duration(20+pl.r.Intn(48*60))*time.Minute), housing.TenantDone)
		pl.tenantFeedback(kept.Add(10*time.Minute), c.ID)
	case outcome < 50: // done on time; the tenant has not said
		act(doneOn(0), team, housing.KindCommitmentComplete, housing.CommitmentAction{})
	case outcome < 60: // kept late
		done := act(doneOn(1+pl.r.Intn(4)), team, housing.KindCommitmentComplete, housing.CommitmentAction{})
		answer(done.Add(time.Duration(60+pl.r.Intn(24*60))*time.Minute), housing.TenantDone)
	case outcome < 67: // marked done, but the tenant says it was not
		done := act(doneOn(0), team, housing.KindCommitmentComplete, housing.CommitmentAction{})
		answer(done.Add(time.Duration(60+pl.r.Intn(24*60))*time.Minute), housing.TenantNotDone)
	case outcome < 75: // not kept in time: a supervisor records it and apologises
		broke := act(at(housing.AddWorkingDays(due, 2), 14, pl.r.Intn(60)), boss, housing.KindCommitmentBreak,
			housing.CommitmentAction{Reason: "We are sorry: we did not do this by the date we gave you. We will call you to agree a new date."})
		if pl.r.Intn(2) == 0 { // and agrees a new date
			act(broke.Add(24*time.Hour), boss, housing.KindCommitmentExtend,
				housing.CommitmentAction{DueDate: housing.AddWorkingDays(housing.LocalDate(broke), 5), Reason: "New date agreed with the tenant by phone."})
		}
	default: // picked up and still in hand: due soon, or overdue
	}
}

// demoStaleCancellers are the officers whose phones, in the demo, send a
// cancellation for a promise the owning team has already done: refused,
// it waits under "needs attention" on their phone and in the supervisors'
// queue. They are officers no browser test signs in as.
var demoStaleCancellers = []string{"dan"}

// demoStaleCancels is how many such refusals the demo history holds.
const demoStaleCancels = 2

// staleCancel has o cancel promise id from a phone that had not synced
// since before the team marked it done at done, if o is one of the
// demoStaleCancellers and the demo still wants one.
func (pl *demoPlanner) staleCancel(o housing.Principal, id string, done time.Time) {
	if pl.refusals >= demoStaleCancels || !slices.ContainsFunc(demoStaleCancellers, func(u string) bool { return DemoOfficerID(u) == o.OfficerID }) {
		return
	}
	pl.refusals++
	when := done.Add(time.Duration(60+pl.r.Intn(120)) * time.Minute)
	pl.steps = append(pl.steps, demoStep{at: when.Add(30 * time.Minute), order: len(pl.steps), p: o, refused: true,
		m: housing.Mutation{Seq: int64(1000 + pl.refusals), Kind: housing.KindCommitmentCancel, RecordID: id, HappenedAt: when,
			Data: mustJSON(housing.CommitmentAction{Reason: "The tenant says they no longer need this."})}})
}

// tenant has the tenant answer through their link at when, and returns when.
func (pl *demoPlanner) tenant(when time.Time, id, answer string) time.Time {
	pl.steps = append(pl.steps, demoStep{at: when, order: len(pl.steps), p: tenantPrincipal, m: housing.Mutation{
		Kind: housing.KindCommitmentTenant, RecordID: id, HappenedAt: when, Data: mustJSON(housing.CommitmentAction{Answer: answer}),
	}})
	return when
}

// tenantFeedback has some tenants rate the service through their link
// once the promise was kept.
func (pl *demoPlanner) tenantFeedback(when time.Time, id string) {
	if pl.r.Intn(100) >= 25 {
		return
	}
	f := housing.Feedback{ID: pl.id("feedback"), Answers: pl.answers()}
	pl.steps = append(pl.steps, demoStep{at: when, order: len(pl.steps), m: housing.Mutation{RecordID: id}, feedback: &f})
}

// feedback has o record feedback at visit v, which the server received at
// visitReceived: a phone sends its outbox in order, so the feedback never
// reaches the server before its visit.
func (pl *demoPlanner) feedback(o housing.Principal, t housing.Tenancy, v housing.Visit, visitReceived time.Time) {
	f := housing.Feedback{
		ID: pl.id("feedback"), TenancyID: t.ID, VisitID: v.ID, SiteID: t.SiteID, Source: housing.SourceOfficer,
		Answers: pl.answers(),
	}
	switch n := pl.r.Intn(100); {
	case n < 4:
		f.Complaint = true
		f.Comment = demoComplaints[pl.r.Intn(len(demoComplaints))]
	case n < 30:
		f.Comment = demoComments[pl.r.Intn(len(demoComments))]
	}
	given := pl.add(v.EndedAt.Add(time.Minute), o, housing.KindFeedbackGive, f.ID, f)
	if given.Before(visitReceived) {
		given = visitReceived // same instant: planned after the visit, so applied after it
		pl.steps[len(pl.steps)-1].at = given
	}
	if f.Complaint && pl.r.Intn(3) > 0 {
		// The complaints team picks up the promise the complaint made
		// (routeComplaint), usually within the Code's 5 working days.
		id := uuid.NewSHA1(complaintNamespace, []byte(f.ID)).String()
		when := at(housing.AddWorkingDays(housing.LocalDate(given), 1+pl.r.Intn(5)), 10, pl.r.Intn(240))
		pl.add(when, pl.teamMember(housing.FunctionComplaints, t.SiteID), housing.KindCommitmentAcknowledge, id, housing.CommitmentAction{})
	}
}

// answers draws the four TSM answers, about seven in ten satisfied, as
// landlords typically report.
func (pl *demoPlanner) answers() map[housing.Question]housing.Rating {
	out := map[housing.Question]housing.Rating{}
	for _, q := range housing.Questions {
		switch n := pl.r.Intn(100); {
		case n < 5:
			if pl.r.Intn(2) == 0 {
				continue // not asked
			}
			out[q] = housing.PreferNotToSay
		case n < 35:
			out[q] = housing.VerySatisfied
		case n < 72:
			out[q] = housing.FairlySatisfied
		case n < 82:
			out[q] = housing.Neither
		case n < 93:
			out[q] = housing.FairlyDissatisfied
		default:
			out[q] = housing.VeryDissatisfied
		}
	}
	return out
}

var demoComments = []string{
	"Officer was friendly and listened.",
	"Still waiting to hear about the last repair.",
	"Happy with the new kitchen.",
	"Hard to get through on the phone.",
	"Thank you for coming round.",
}

var demoComplaints = []string{
	"The damp in the bedroom has been reported three times and nobody has come.",
	"The repairs contractor left a mess and did not finish the job.",
	"I was promised a call back about my rent account and never got one.",
}

// teamMember returns who in function picks up promises on site: an officer
// of the function working there, else any officer of the function, else its
// supervisor.
func (pl *demoPlanner) teamMember(function, site string) housing.Principal {
	var any housing.Principal
	for _, o := range pl.staff {
		if o.Role == housing.RoleOfficer && o.InFunction(function) {
			if o.InSite(site) {
				return o.Principal
			}
			if any.OfficerID == "" {
				any = o.Principal
			}
		}
	}
	if any.OfficerID != "" {
		return any
	}
	return pl.supervisorFor(function, site)
}

// supervisorFor returns the supervisor of function, else one for site, else
// the admin.
func (pl *demoPlanner) supervisorFor(function, site string) housing.Principal {
	for _, pass := range []func(housing.Principal) bool{
		func(p housing.Principal) bool { return p.InFunction(function) },
		func(p housing.Principal) bool { return p.InSite(site) },
		func(p housing.Principal) bool { return p.Role == housing.RoleAdmin },
	} {
		for _, o := range pl.staff {
			if o.Role.AtLeast(housing.RoleSupervisor) && pass(o.Principal) {
				return o.Principal
			}
		}
	}
	return pl.staff[len(pl.staff)-1].Principal
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
