package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"doorstep/shared/housing"
)

// TrendWeeks is the length of the default measures period: this week and
// the seven before it, enough for a trend without a chart too small to read.
const TrendWeeks = 8

// Measures returns the measures for the commitments and feedback that
// reached the server in the filter's period (by default the TrendWeeks
// weeks to today) within p's scope. Each measure is defined once, in
// shared/housing/review.go; this method only counts. It returns
// CodeForbidden unless p is a supervisor or admin, and CodeInvalid for a bad
// filter. It reads in one read transaction, so the promises and the
// feedback are counted as of one moment.
func (s *ReviewService) Measures(ctx context.Context, p housing.Principal, f housing.ReviewFilter) (housing.Measures, error) {
	if err := mayReview(p); err != nil {
		return housing.Measures{}, err
	}
	if err := f.Validate(); err != nil {
		return housing.Measures{}, err
	}
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return housing.Measures{}, err
	}
	defer tx.Rollback()
	from, to := reviewPeriod(f, housing.LocalDate(tx.now))
	m := housing.Measures{From: from, To: to, LoadedAt: tx.now, Filter: f}

	names, err := readNames(ctx, tx)
	if err != nil {
		return m, err
	}
	m.Options = names.options()
	cf := reviewCommitments(p, f)
	cf.ReceivedFrom, cf.ReceivedTo = from, to
	cs, err := readCommitments(ctx, tx, cf)
	if err != nil {
		return m, err
	}

	for w := housing.WeekStart(from); !to.Before(w); w = w.AddDays(7) {
		m.Weeks = append(m.Weeks, housing.Week{Start: w})
	}
	type ack struct {
		times   []time.Duration
		waiting int
	}
	acks := map[string]*ack{}
	for _, c := range cs {
		m.Tally.Add(c)
		if i := weekIndex(m.Weeks, housing.LocalDate(c.ReceivedAt)); i >= 0 {
			m.Weeks[i].Add(c)
		}
		a := acks[c.FunctionID]
		if a == nil {
			a = &ack{}
			acks[c.FunctionID] = a
		}
		if d, ok := c.AcknowledgeTime(); ok {
			a.times = append(a.times, d)
		} else if c.Status == housing.StatusOpen {
			a.waiting++
		}
	}
	for id, a := range acks {
		m.Acknowledge = append(m.Acknowledge, housing.AcknowledgeMedian{
			FunctionID: id, FunctionName: names.functionName(id),
			MedianDays: housing.MedianDays(a.times), Count: len(a.times), Waiting: a.waiting,
		})
	}
	slices.SortFunc(m.Acknowledge, func(a, b housing.AcknowledgeMedian) int { return strings.Compare(a.FunctionName, b.FunctionName) })

	ff := reviewFeedback(p, f)
	ff.ReceivedFrom, ff.ReceivedTo = from, to
	m.Satisfaction, err = countSatisfaction(ctx, tx, ff)
	return m, err
}

// countSatisfaction counts the answers to each Tenant Satisfaction Measure
// in the feedback f selects.
func countSatisfaction(ctx context.Context, tx *Tx, f feedbackFilter) ([]housing.Satisfaction, error) {
	w, _ := f.where()
	rows, err := tx.QueryContext(ctx, `
		SELECT a.question, a.rating, COUNT(*)
		FROM feedback_answers a JOIN feedback ON feedback.id = a.feedback_id
		WHERE `+w.String()+`
		GROUP BY a.question, a.rating`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("count satisfaction: %w", err)
	}
	defer rows.Close()
	by := map[housing.Question]*housing.Satisfaction{}
	out := make([]housing.Satisfaction, len(housing.Questions))
	for i, q := range housing.Questions {
		out[i] = housing.Satisfaction{Question: q, Label: q.Short()}
		by[q] = &out[i]
	}
	for rows.Next() {
		var q, r string
		var n int
		if err := rows.Scan(&q, &r, &n); err != nil {
			return nil, fmt.Errorf("scan satisfaction: %w", err)
		}
		sat, rating := by[housing.Question(q)], housing.Rating(r)
		if sat == nil || !rating.Counted() {
			continue
		}
		sat.Responses += n
		if rating.Satisfied() {
			sat.Satisfied += n
		}
	}
	for i := range out {
		out[i].Percent = housing.Percent(out[i].Satisfied, out[i].Responses)
	}
	return out, rows.Err()
}

// reviewPeriod returns the days a report covers: the filter's, or else the
// TrendWeeks weeks (Monday to Sunday) up to today.
func reviewPeriod(f housing.ReviewFilter, today housing.Date) (from, to housing.Date) {
	to = f.To
	if to == "" {
		to = today
		if f.From != "" && to.Before(f.From) {
			to = f.From
		}
	}
	from = f.From
	if from == "" {
		from = housing.WeekStart(to).AddDays(-7 * (TrendWeeks - 1))
	}
	return from, to
}

// weekIndex returns the index of the week in ws that holds d, or -1.
func weekIndex(ws []housing.Week, d housing.Date) int {
	for i, w := range ws {
		if !d.Before(w.Start) && d.Before(w.Start.AddDays(7)) {
			return i
		}
	}
	return -1
}
