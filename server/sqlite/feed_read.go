package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"doorstep/shared/housing"
)

// Events returns up to limit events after the cursor after ("" is the
// start) that the token's teams may read, oldest first (docs/events.md).
// limit 0 or less means housing.DefaultFeedPage, and more than
// housing.MaxFeedPage means that many. It returns CodeUnauthorized for a
// malformed, unknown or revoked token, and CodeInvalid (field "after") for
// a cursor that is not an event ID this feed has handed out.
//
// The page is read in one read transaction, so it never waits for the
// phones' writes; the token's last use is written at most once every
// tokenUseEvery, after the page is read.
func (s *IntegrationService) Events(ctx context.Context, secret, after string, limit int) (housing.FeedPage, error) {
	page := housing.FeedPage{Events: []housing.FeedEvent{}, Next: after}
	if limit <= 0 {
		limit = housing.DefaultFeedPage
	}
	limit = min(limit, housing.MaxFeedPage)
	tx, err := s.DB.beginRead(ctx)
	if err != nil {
		return page, err
	}
	defer tx.Rollback()
	t, err := tokenBySecret(ctx, tx, secret)
	if err != nil {
		return page, err
	}
	cursor, err := feedCursor(ctx, tx, after)
	if err != nil {
		return page, err
	}
	if page.Events, page.More, err = readFeed(ctx, tx, t.Teams, cursor, limit); err != nil {
		return page, err
	}
	tx.Rollback()
	if n := len(page.Events); n > 0 {
		page.Next = page.Events[n-1].ID
	}
	if tx.now.Sub(t.LastUsedAt) >= tokenUseEvery {
		if err := s.touchToken(ctx, t.ID); err != nil {
			return page, err
		}
	}
	return page, nil
}

// feedCursor reads after, an event ID as a cursor ("" for the start). A
// cursor that is not a decimal number, or is beyond every ID handed out
// (a system pointed at another server, or at a database restored from an
// older backup), is CodeInvalid: reading on from it would skip events
// without a word.
func feedCursor(ctx context.Context, q sqlQuerier, after string) (int64, error) {
	if after == "" {
		return 0, nil
	}
	bad := func() error {
		return housing.Invalid(housing.FieldAfter, "The cursor %q is not an event ID from this feed; read from the start (after=) or from the last event ID you stored.", clip(after, 40))
	}
	if len(after) > 18 || strings.Trim(after, "0123456789") != "" {
		return 0, bad()
	}
	n, err := strconv.ParseInt(after, 10, 64)
	if err != nil {
		return 0, bad()
	}
	// sqlite_sequence holds the highest seq AUTOINCREMENT has handed out;
	// it has no row until the first event.
	var high int64
	err = q.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = 'events'`).Scan(&high)
	if err != nil && !errNoRows(err) {
		return 0, fmt.Errorf("read the newest event ID: %w", err)
	}
	if n > high {
		return 0, bad()
	}
	return n, nil
}

// clip is s cut to at most n bytes, for quoting input back safely.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// readFeed returns up to limit events after cursor that belong to one of
// teams (housing.AllTeams: every event), and whether more follow.
//
// For named teams, each team's events are found through its own index
// (events_team, and events_team2 for the events it reads as a second team)
// from the cursor on, at most limit+1 from each, and the union of those
// gives the page: the cost is the page's size times the number of teams,
// however many events of other teams lie between, never a scan of the
// feed.
func readFeed(ctx context.Context, q sqlQuerier, teams []string, cursor int64, limit int) ([]housing.FeedEvent, bool, error) {
	query := feedSelect
	var args []any
	if len(teams) == 1 && teams[0] == housing.AllTeams {
		query += `WHERE e.seq > ? ORDER BY e.seq LIMIT ?`
		args = append(args, cursor, limit+1)
	} else {
		var parts []string
		for _, team := range teams {
			parts = append(parts,
				`SELECT seq FROM (SELECT seq FROM events WHERE team = ? AND seq > ? ORDER BY seq LIMIT ?)`,
				`SELECT seq FROM (SELECT seq FROM events WHERE team2 = ? AND team2 != '' AND seq > ? ORDER BY seq LIMIT ?)`)
			args = append(args, team, cursor, limit+1, team, cursor, limit+1)
		}
		query += `WHERE e.seq IN (` + strings.Join(parts, ` UNION `) + `) ORDER BY e.seq LIMIT ?`
		args = append(args, limit+1)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, false, fmt.Errorf("read events feed: %w", err)
	}
	defer rows.Close()
	out := make([]housing.FeedEvent, 0, limit)
	more := false
	for rows.Next() {
		if len(out) == limit {
			more = true
			break
		}
		ev, err := scanFeedEvent(rows)
		if err != nil {
			return nil, false, err
		}
		out = append(out, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("read events feed: %w", err)
	}
	return out, more, nil
}

// feedSelect reads events with what they leave to other tables: the
// tenancy's reference, and the fields of the promise that never change
// once it is made (migration 010). scanFeedEvent reads its columns. A
// query adds its WHERE and tail.
const feedSelect = `SELECT e.seq, e.type, e.team, e.tenancy_id, e.commitment_id, e.at, e.by, e.by_name,
		e.from_value, e.to_value, e.note, e.feedback,
		e.function_id, e.owner_id, e.due_date, e.due_time, e.status, e.escalated, e.tenant_agreement, e.tenant_outcome,
		e.acknowledged_at, e.done_at, e.closed_at, e.version, e.due_version, e.owner_version,
		COALESCE(t.reference, ''),
		COALESCE(c.visit_id, ''), COALESCE(c.site_id, ''), COALESCE(c.household, ''), COALESCE(c.address, ''),
		COALESCE(c.made_by, ''), COALESCE(c.made_by_name, ''), COALESCE(c.what, ''), COALESCE(c.standard_id, ''),
		COALESCE(c.override_reason, ''), COALESCE(c.created_by, ''), COALESCE(c.device_id, ''),
		COALESCE(c.happened_at, ''), COALESCE(c.received_at, '')
	FROM events e
	LEFT JOIN tenancies t ON t.id = e.tenancy_id
	LEFT JOIN commitments c ON c.id = e.commitment_id AND e.commitment_id != ''
	`

// scanFeedEvent reads one row of feedSelect as the event a system reads.
func scanFeedEvent(rows *sql.Rows) (housing.FeedEvent, error) {
	var (
		ev                                      housing.FeedEvent
		c                                       housing.Commitment
		seq                                     int64
		at, feedback, due, status               string
		acked, done, closed, happened, received string
	)
	err := rows.Scan(&seq, &ev.Type, &ev.Team, &ev.TenancyID, &c.ID, &at, &ev.By, &ev.ByName,
		&ev.From, &ev.To, &ev.Note, &feedback,
		&c.FunctionID, &c.OwnerID, &due, &c.DueTime, &status, &c.Escalated, &c.TenantAgreement, &c.TenantOutcome,
		&acked, &done, &closed, &c.Version, &c.DueVersion, &c.OwnerVersion,
		&ev.TenancyReference,
		&c.VisitID, &c.SiteID, &c.Household, &c.Address, &c.MadeBy, &c.MadeByName, &c.What, &c.StandardID,
		&c.OverrideReason, &c.CreatedBy, &c.DeviceID, &happened, &received)
	if err != nil {
		return ev, fmt.Errorf("scan feed event: %w", err)
	}
	ev.ID, ev.At = strconv.FormatInt(seq, 10), parseTime(at)
	if ev.Type == housing.FeedPromiseReassigned {
		ev.PrevTeam = ev.From
	}
	if c.ID != "" {
		c.TenancyID, c.DueDate, c.Status = ev.TenancyID, housing.Date(due), housing.Status(status)
		c.AcknowledgedAt, c.DoneAt, c.ClosedAt = parseTime(acked), parseTime(done), parseTime(closed)
		c.HappenedAt, c.ReceivedAt = parseTime(happened), parseTime(received)
		ev.Commitment, ev.SiteID = &c, c.SiteID
	}
	if feedback != "" {
		var f housing.Feedback
		if err := json.Unmarshal([]byte(feedback), &f); err != nil {
			return ev, fmt.Errorf("decode feed event %d: %w", seq, err)
		}
		ev.Feedback, ev.SiteID = &f, f.SiteID
	}
	return ev, nil
}
