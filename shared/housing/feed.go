package housing

import (
	"context"
	"time"
)

// This file is the events feed: every promise made and every step it
// takes, and every complaint and piece of feedback, in the server's order,
// for the landlord's other systems (a repairs system raises its job from a
// doorstep promise). docs/events.md documents the wire format. A system
// reads it with an integration token an admin made, scoped to teams.

// The types of feed event. Their spelling never changes once released.
const (
	FeedPromiseMade       = "promise.made"
	FeedPromisePickedUp   = "promise.picked_up" // the owning team acknowledged it
	FeedPromiseExtended   = "promise.extended"
	FeedPromiseReassigned = "promise.reassigned"
	FeedPromiseEscalated  = "promise.escalated"
	FeedPromiseDone       = "promise.done" // the team says it is done; the tenant is asked
	FeedPromiseKept       = "promise.kept" // the tenant confirmed it
	FeedPromiseDisputed   = "promise.disputed"
	FeedPromiseBroken     = "promise.broken"
	FeedPromiseCancelled  = "promise.cancelled"
	FeedComplaintMade     = "complaint.made"
	FeedFeedbackGiven     = "feedback.given"
)

// AllTeams in a token's Teams gives it every team's events, and the
// feedback that is about no promise.
const AllTeams = "*"

// FeedEvent is one entry of the events feed.
type FeedEvent struct {
	// ID is the event's place in the feed, as a decimal number: unique and
	// stable, so a system that keys its work on it never keys one twice,
	// and the cursor to read the events after it.
	ID   string    `json:"id"`
	Type string    `json:"type"` // Feed*
	At   time.Time `json:"at"`   // when the server received it

	Team     string `json:"team"`                // the function it belongs to
	PrevTeam string `json:"prev_team,omitempty"` // promise.reassigned: the team it left
	SiteID   string `json:"site_id"`

	TenancyID        string `json:"tenancy_id"`
	TenancyReference string `json:"tenancy_reference"` // the landlord's own reference

	By     string `json:"by"` // officer ID, or TenantActor
	ByName string `json:"by_name,omitempty"`
	From   string `json:"from,omitempty"` // the value before (an old due date, an old team)
	To     string `json:"to,omitempty"`   // the value after
	Note   string `json:"note,omitempty"` // the reason, comment or apology

	// Commitment is the promise as it stood just after the event, without
	// its history or link token; for feedback about a promise, that promise.
	Commitment *Commitment `json:"commitment,omitempty"`
	// Feedback is the feedback or complaint given, for feedback.given and
	// complaint.made.
	Feedback *Feedback `json:"feedback,omitempty"`
}

// FeedPage is one answer of GET /api/v1/events.
type FeedPage struct {
	Events []FeedEvent `json:"events"`
	// Next is the cursor to ask with next (?after=Next): the ID of the last
	// event here, or the one asked with when there are none.
	Next string `json:"next"`
	More bool   `json:"more"` // more events wait after Next
}

// Limits on the feed's pages.
const (
	DefaultFeedPage = 100
	MaxFeedPage     = 1000
)

// IntegrationToken lets another of the landlord's systems read the events
// feed: read-only, scoped to the teams it names. The secret is shown once,
// when it is made; the server stores only its hash.
type IntegrationToken struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"` // what it is for, e.g. "Repairs system (Civica)"
	Teams      []string  `json:"teams"`
	Token      string    `json:"token,omitempty"` // only in CreateToken's answer
	CreatedAt  time.Time `json:"created_at"`
	CreatedBy  string    `json:"created_by"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
}

// NewIntegrationToken is what an admin gives to make a token.
type NewIntegrationToken struct {
	Name  string   `json:"name"`
	Teams []string `json:"teams"` // function IDs, or AllTeams
}

// IntegrationService makes and revokes integration tokens (admins only)
// and serves the events feed to them.
type IntegrationService interface {
	// CreateToken returns CodeInvalid for a missing name, no teams or an
	// unknown team.
	CreateToken(ctx context.Context, by Principal, in NewIntegrationToken) (IntegrationToken, error)
	// Tokens lists every token, revoked ones too, without their secrets.
	Tokens(ctx context.Context) ([]IntegrationToken, error)
	// RevokeToken stops a token at once; CodeNotFound for an unknown one.
	// Revoking twice is not an error.
	RevokeToken(ctx context.Context, by Principal, id string) error
	// Events returns up to limit events after the cursor ("" is the start)
	// that the token's teams may read. It returns CodeUnauthorized for a
	// malformed, unknown or revoked token and CodeInvalid for a bad cursor.
	Events(ctx context.Context, token, after string, limit int) (FeedPage, error)
}
