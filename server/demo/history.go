package demo

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

	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// historySeed fixes the demo history's random choices.
const historySeed = 20261123

// historyDays is how many working days of history the demo has: four
// weeks, enough for promises kept, kept late, broken and overdue.
const historyDays = 20

// playHistory gives the demo landlord a few weeks of history ending now
// (db.Now): visits, promises kept on time, kept late, broken, disputed by
// the tenant, cancelled, reassigned, extended and not yet picked up by the
// owning team, and feedback with the Tenant Satisfaction Measures answers,
// including a complaint or two routed to the complaints team.
//
// It is played as it would have happened: each officer's phone sends each
// change through SyncService.Sync, numbered as a phone numbers its
// mutations, and each tenant answers and rates through TenantService with
// their link's token, with db.Now set to the moment the server received
// it; the clock is put back afterwards. So the change log, histories,
// provenance and refusals are the server's own. It must run before the
// database serves anyone, since it moves the clock every service reads.
// The same day gives the same history; the history moves with the date,
// so the supervisors' queues always have something due, overdue and
// waiting.
func playHistory(ctx context.Context, db *sqlite.DB) error {
	staff, err := principals(ctx, db)
	if err != nil {
		return err
	}
	tenancies, err := (&sqlite.ReferenceService{DB: db}).Tenancies(ctx, nil)
	if err != nil {
		return err
	}
	clock := db.Now
	defer func() { db.Now = clock }()
	steps := plan(clock().UTC(), staff, tenancies)

	sync := &sqlite.SyncService{DB: db}
	tenants := &sqlite.TenantService{DB: db}
	phones := map[string]*phone{}
	for i, s := range steps {
		at := s.at
		db.Now = func() time.Time { return at }
		var err error
		switch {
		case s.feedback != nil:
			err = tenants.TenantFeedback(ctx, TenantToken(s.m.RecordID), *s.feedback)
		case s.p.OfficerID == housing.TenantActor:
			var a housing.CommitmentAction
			if err = json.Unmarshal(s.m.Data, &a); err == nil {
				_, err = tenants.TenantRespond(ctx, TenantToken(s.m.RecordID), a)
			}
		default:
			ph := phones[s.p.DeviceID]
			if ph == nil {
				ph = &phone{p: s.p}
				phones[s.p.DeviceID] = ph
			}
			err = ph.send(ctx, sync, s)
		}
		if err != nil {
			return fmt.Errorf("step %d (%s %s): %w", i, s.m.Kind, s.m.RecordID, err)
		}
	}
	return nil
}

// phone is one demo officer's phone: it numbers its mutations from 1 and
// keeps its place in the change log, as the app does.
type phone struct {
	p      housing.Principal
	last   int64 // the number of the last mutation sent
	cursor string
}

// send syncs s's mutation from the phone and checks the server's answer:
// applied, or refused when s is planned as refused.
func (ph *phone) send(ctx context.Context, sync *sqlite.SyncService, s step) error {
	m := s.m
	m.Seq = ph.last + 1
	resp, err := sync.Sync(ctx, ph.p, housing.SyncRequest{
		Protocol: housing.ProtocolVersion, DeviceID: ph.p.DeviceID, Cursor: ph.cursor, Mutations: []housing.Mutation{m},
	})
	if err != nil {
		return err
	}
	ph.last, ph.cursor = m.Seq, resp.Cursor
	if len(resp.Results) != 1 {
		return fmt.Errorf("got %d results for one change", len(resp.Results))
	}
	r := resp.Results[0]
	refused := r.Status == housing.ResultRejected || r.Status == housing.ResultConflict
	switch {
	case s.refused && !refused:
		return fmt.Errorf("got %s, want it refused", r.Status)
	case !s.refused && r.Status != housing.ResultApplied:
		return fmt.Errorf("got %s: %s", r.Status, r.Reason)
	}
	return nil
}

// TenantToken returns the tenant link token of a demo promise. Demo tokens
// are derived from the promise's ID, so the demo's links can be printed and
// followed; real tokens are random and made on the phone.
func TenantToken(commitmentID string) string {
	sum := sha256.Sum256([]byte("doorstep demo token:" + commitmentID))
	return base64.RawURLEncoding.EncodeToString(sum[:housing.TokenBytes])
}

// step is one thing that happened in the demo history: a mutation by a
// principal (an officer's phone, or the tenant answering through their
// link), received by the server at at.
type step struct {
	at    time.Time
	order int // ties on at keep the order they were planned in
	p     housing.Principal
	m     housing.Mutation
	// feedback is a tenant's feedback through the link of m.RecordID.
	feedback *housing.Feedback
	// refused marks a change the server refuses, as it would from a phone
	// that was offline while others moved on: it becomes a "needs
	// attention" item for the officer and their supervisors.
	refused bool
}

// linkTenant is who answers through a link, as the plan records it.
var linkTenant = housing.Principal{OfficerID: housing.TenantActor, Name: "Tenant"}

// principals returns the demo's officers as principals on their own demo
// phones, in Users order, as the store holds them (sites and functions
// sorted).
func principals(ctx context.Context, db *sqlite.DB) ([]housing.Principal, error) {
	officers := &sqlite.OfficerService{DB: db}
	out := make([]housing.Principal, len(Users))
	for i, u := range Users {
		o, err := officers.Officer(ctx, OfficerID(u.Username))
		if err != nil {
			return nil, fmt.Errorf("demo officer %s: %w", u.Username, err)
		}
		out[i] = housing.Principal{
			OfficerID: o.ID, Name: o.Name, Role: o.Role, Sites: o.Sites, Functions: o.Functions,
			SessionID: "demo", DeviceID: "demo-" + u.Username,
		}
	}
	return out, nil
}

// planner draws the demo history.
type planner struct {
	r         *rand.Rand
	now       time.Time
	staff     []housing.Principal
	standards []housing.Standard
	steps     []step
	ids       int
	refusals  int // stale cancellations planned so far
}

// plan returns the demo's steps in the order the server receives them,
// leaving out anything that would happen after now. staff are the demo's
// officers in Users order.
func plan(now time.Time, staff []housing.Principal, tenancies []housing.Tenancy) []step {
	pl := &planner{r: rand.New(rand.NewSource(historySeed)), now: now, staff: staff, standards: housing.DefaultStandards()}
	bySite := map[string][]housing.Tenancy{}
	for _, t := range tenancies {
		bySite[t.SiteID] = append(bySite[t.SiteID], t)
	}
	today := housing.LocalDate(now)
	for d := housing.AddWorkingDays(today, -historyDays); !today.Before(d); d = housing.AddWorkingDays(d, 1) {
		for _, o := range staff {
			purposes := visitPurposes[visitFunction(o)]
			if o.Role != housing.RoleOfficer || purposes == nil {
				continue
			}
			visits := 2 + pl.r.Intn(3)
			for slot := 0; slot < visits; slot++ {
				siteID := o.Sites[pl.r.Intn(len(o.Sites))]
				ts := bySite[siteID]
				if len(ts) == 0 {
					continue
				}
				pl.visit(o, ts[pl.r.Intn(len(ts))], d, slot, purposes)
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

// visitFunction is the function an officer visits for: the first of
// theirs that makes visits.
func visitFunction(p housing.Principal) string {
	for _, f := range p.Functions {
		if visitPurposes[f] != nil {
			return f
		}
	}
	return ""
}

var visitPurposes = map[string][]housing.Purpose{
	housing.FunctionTenancy: {housing.PurposeTenancyAudit, housing.PurposeWelfareCheck, housing.PurposeEstateInspection, housing.PurposeNewTenancy, housing.PurposeRepairs},
	housing.FunctionIncome:  {housing.PurposeArrears},
	housing.FunctionASB:     {housing.PurposeASB, housing.PurposeWelfareCheck},
}

// doorPromises are things officers promise at the door, by owning function
// and the kind of standard they fall under.
var doorPromises = map[string][]struct{ kind, what string }{
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

// functionWeights picks the function that owns a promise: repairs most
// often, as on any estate.
var functionWeights = []struct {
	function string
	weight   int
}{
	{housing.FunctionRepairs, 45}, {housing.FunctionIncome, 15}, {housing.FunctionTenancy, 20},
	{housing.FunctionASB, 12}, {housing.FunctionLettings, 8},
}

func (pl *planner) id(kind string) string {
	pl.ids++
	return uuid.NewSHA1(namespace, []byte(fmt.Sprintf("%s:%d", kind, pl.ids))).String()
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
func (pl *planner) add(when time.Time, p housing.Principal, kind, id string, data any) time.Time {
	received := when.Add(time.Duration(2+pl.r.Intn(50)) * time.Minute)
	pl.steps = append(pl.steps, step{at: received, order: len(pl.steps), p: p,
		m: housing.Mutation{Kind: kind, RecordID: id, HappenedAt: when, Data: mustJSON(data)}})
	return received
}

func (pl *planner) visit(o housing.Principal, t housing.Tenancy, d housing.Date, slot int, purposes []housing.Purpose) {
	start := at(d, 9+2*slot, pl.r.Intn(50))
	v := housing.Visit{
		ID: pl.id("visit"), TenancyID: t.ID, OfficerID: o.OfficerID, SiteID: t.SiteID,
		Purpose: purposes[pl.r.Intn(len(purposes))], Notes: notes[pl.r.Intn(len(notes))],
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

var notes = []string{
	"Tenant at home; spoke at the door.",
	"Walked round the property with the tenant.",
	"Tenant's daughter present and translated.",
	"Communal areas tidy; bin store full.",
	"Tenant well; no concerns raised.",
	"Discussed the rent account and upcoming changes.",
	"Tenant raised noise from neighbours again.",
}

func (pl *planner) pickFunction() string {
	n := pl.r.Intn(100)
	for _, w := range functionWeights {
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
func (pl *planner) promise(o housing.Principal, t housing.Tenancy, v housing.Visit, d housing.Date) {
	fn := pl.pickFunction()
	pick := doorPromises[fn][pl.r.Intn(len(doorPromises[fn]))]
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
	c.Token = TenantToken(c.ID)
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

// staleCancellers are the officers whose phones, in the demo, send a
// cancellation for a promise the owning team has already done: refused,
// it waits under "needs attention" on their phone and in the supervisors'
// queue. They are officers no browser test signs in as.
var staleCancellers = []string{"dan"}

// staleCancels is how many such refusals the demo history holds.
const staleCancels = 2

// staleCancel has o cancel promise id from a phone that had not synced
// since before the team marked it done at done, if o is one of the
// staleCancellers and the demo still wants one.
func (pl *planner) staleCancel(o housing.Principal, id string, done time.Time) {
	if pl.refusals >= staleCancels || !slices.ContainsFunc(staleCancellers, func(u string) bool { return OfficerID(u) == o.OfficerID }) {
		return
	}
	pl.refusals++
	when := done.Add(time.Duration(60+pl.r.Intn(120)) * time.Minute)
	pl.steps = append(pl.steps, step{at: when.Add(30 * time.Minute), order: len(pl.steps), p: o, refused: true,
		m: housing.Mutation{Kind: housing.KindCommitmentCancel, RecordID: id, HappenedAt: when,
			Data: mustJSON(housing.CommitmentAction{Reason: "The tenant says they no longer need this."})}})
}

// tenant has the tenant answer through their link at when, and returns when.
func (pl *planner) tenant(when time.Time, id, answer string) time.Time {
	pl.steps = append(pl.steps, step{at: when, order: len(pl.steps), p: linkTenant, m: housing.Mutation{
		Kind: housing.KindCommitmentTenant, RecordID: id, HappenedAt: when, Data: mustJSON(housing.CommitmentAction{Answer: answer}),
	}})
	return when
}

// tenantFeedback has some tenants rate the service through their link
// once the promise was kept.
func (pl *planner) tenantFeedback(when time.Time, id string) {
	if pl.r.Intn(100) >= 25 {
		return
	}
	f := housing.Feedback{ID: pl.id("feedback"), Answers: pl.answers()}
	pl.steps = append(pl.steps, step{at: when, order: len(pl.steps), m: housing.Mutation{RecordID: id}, feedback: &f})
}

// feedback has o record feedback at visit v, which the server received at
// visitReceived: a phone sends its outbox in order, so the feedback never
// reaches the server before its visit.
func (pl *planner) feedback(o housing.Principal, t housing.Tenancy, v housing.Visit, visitReceived time.Time) {
	f := housing.Feedback{
		ID: pl.id("feedback"), TenancyID: t.ID, VisitID: v.ID, SiteID: t.SiteID, Source: housing.SourceOfficer,
		Answers: pl.answers(),
	}
	switch n := pl.r.Intn(100); {
	case n < 4:
		f.Complaint = true
		f.Comment = complaintWords[pl.r.Intn(len(complaintWords))]
	case n < 30:
		f.Comment = comments[pl.r.Intn(len(comments))]
	}
	given := pl.add(v.EndedAt.Add(time.Minute), o, housing.KindFeedbackGive, f.ID, f)
	if given.Before(visitReceived) {
		given = visitReceived // same instant: planned after the visit, so applied after it
		pl.steps[len(pl.steps)-1].at = given
	}
	if f.Complaint && pl.r.Intn(3) > 0 {
		// The complaints team picks up the promise the complaint made
		// (sqlite.ComplaintID), usually within the Code's 5 working days.
		id := sqlite.ComplaintID(f.ID)
		when := at(housing.AddWorkingDays(housing.LocalDate(given), 1+pl.r.Intn(5)), 10, pl.r.Intn(240))
		pl.add(when, pl.teamMember(housing.FunctionComplaints, t.SiteID), housing.KindCommitmentAcknowledge, id, housing.CommitmentAction{})
	}
}

// answers draws the four TSM answers, about seven in ten satisfied, as
// landlords typically report.
func (pl *planner) answers() map[housing.Question]housing.Rating {
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

var comments = []string{
	"Officer was friendly and listened.",
	"Still waiting to hear about the last repair.",
	"Happy with the new kitchen.",
	"Hard to get through on the phone.",
	"Thank you for coming round.",
}

var complaintWords = []string{
	"The damp in the bedroom has been reported three times and nobody has come.",
	"The repairs contractor left a mess and did not finish the job.",
	"I was promised a call back about my rent account and never got one.",
}

// teamMember returns who in function picks up promises on site: an officer
// of the function working there, else any officer of the function, else its
// supervisor.
func (pl *planner) teamMember(function, site string) housing.Principal {
	var any housing.Principal
	for _, o := range pl.staff {
		if o.Role == housing.RoleOfficer && o.InFunction(function) {
			if o.InSite(site) {
				return o
			}
			if any.OfficerID == "" {
				any = o
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
func (pl *planner) supervisorFor(function, site string) housing.Principal {
	for _, pass := range []func(housing.Principal) bool{
		func(p housing.Principal) bool { return p.InFunction(function) },
		func(p housing.Principal) bool { return p.InSite(site) },
		func(p housing.Principal) bool { return p.Role == housing.RoleAdmin },
	} {
		for _, o := range pl.staff {
			if o.Role.AtLeast(housing.RoleSupervisor) && pass(o) {
				return o
			}
		}
	}
	return pl.staff[len(pl.staff)-1]
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
