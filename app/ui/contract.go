package ui

import (
	"encoding/json"
	"time"

	"doorstep/shared/housing"
)

// This file is the contract between the officer's screens and the wiring in
// app/ (the officer's handlers, app/officer*.go): the state keys the wiring
// publishes (ctx.SetState) and the screens observe, and the actions the
// screens raise (ctx.NewActionWithValue) and the wiring handles. Screens do
// no I/O.

// State keys published by the wiring.
const (
	StateAccount   = "account"   // Account
	StateReference = "reference" // Reference
	StateHome      = "home"      // HomeView
	StateSearch    = "search"    // SearchView: the results of ActionSearch
	StateTenancy   = "tenancy"   // TenancyView: the tenancy asked for by ActionOpenTenancy
	StateVisit     = "visit"     // VisitView: the visit asked for by ActionOpenVisit
	StatePromise   = "promise"   // PromiseView: the commitment asked for by ActionOpenPromise
	StateSaved     = "saved"     // SaveResult: the answer to ActionSaveVisit or ActionAct
	StateAttention = "attention" // []AttentionItem
	StateStorage   = "storage"   // StorageView
	StateSignIn    = "signin"    // SignInResult: the answer to ActionSignIn or ActionSignOut
	StateShare     = "share"     // ShareResult: the answer to ActionShare
)

// Actions the screens raise; the value each carries is named beside it.
const (
	ActionAttach       = "app.attach"        // nothing: raised by every page's Shell when it mounts
	ActionSignIn       = "account.signin"    // SignInForm
	ActionSignOut      = "account.signout"   // bool: force (only after an export)
	ActionSyncNow      = "sync.now"          // nothing
	ActionExport       = "sync.export"       // nothing: downloads the unsynced records as JSON
	ActionLoadHome     = "home.load"         // nothing
	ActionHomeMore     = "home.more"         // string: the list to show more of (HomeOverdue, HomeBroken, HomeDueSoon)
	ActionSearch       = "tenancies.search"  // string: the query
	ActionOpenTenancy  = "tenancy.open"      // string: tenancy ID
	ActionOpenVisit    = "visit.open"        // string: visit ID
	ActionOpenPromise  = "promise.open"      // string: commitment ID
	ActionSaveVisit    = "visit.save"        // VisitDraft
	ActionAct          = "commitment.act"    // ActRequest
	ActionShare        = "link.share"        // string: the tenant link URL (Web Share, or copy)
	ActionResend       = "attention.resend"  // string: AttentionItem.ID
	ActionCorrect      = "attention.correct" // Correction; answered with StateSaved (SaveResult.ID is the item's ID)
	ActionDismiss      = "attention.dismiss" // string: AttentionItem.ID
	ActionLoadSettings = "settings.load"     // nothing: fills StateStorage
)

// Account is who is signed in on this phone.
type Account struct {
	Known       bool            `json:"known"` // the wiring has read the phone's account: until then nobody is known to be signed in or out
	SignedIn    bool            `json:"signed_in"`
	NeedsSignIn bool            `json:"needs_sign_in"` // the server ended the session: sign in again, nothing is lost
	Officer     housing.Officer `json:"officer"`
	DeviceID    string          `json:"device_id"`
	DeviceName  string          `json:"device_name"` // this phone's name; before a sign-in, the wiring's suggestion
}

// Reference is the landlord's lists the forms offer, held on the phone.
type Reference struct {
	Sites     []housing.Site     `json:"sites"`
	Functions []housing.Function `json:"functions"`
	Officers  []housing.Officer  `json:"officers"`
	Standards []housing.Standard `json:"standards"`
}

// FunctionName returns the name of function id, or id.
func (r Reference) FunctionName(id string) string {
	for _, f := range r.Functions {
		if f.ID == id {
			return f.Name
		}
	}
	return id
}

// HomeView is the officer's day.
//
// A list holds its first screenful (and more as the officer asks for it);
// its count is how many there are in all. A large patch holds thousands of
// overdue promises, and drawing every one made home take half a minute.
type HomeView struct {
	Today   housing.Date               `json:"today"`
	Visits  []housing.Visit            `json:"visits"`   // today's, newest first
	Overdue []housing.Commitment       `json:"overdue"`  // still to do, past their date
	Broken  []housing.Commitment       `json:"broken"`   // recorded as not kept in time, still to put right
	DueSoon []housing.Commitment       `json:"due_soon"` // due within 5 working days
	Tenancy map[string]housing.Tenancy `json:"tenancy"`  // the tenancies the lists mention, by ID

	OverdueCount int `json:"overdue_count"`
	BrokenCount  int `json:"broken_count"`
	DueSoonCount int `json:"due_soon_count"`
}

// The home screen's promise lists, as ActionHomeMore names them (and the
// IDs of their headings).
const (
	HomeOverdue = "overdue"
	HomeBroken  = "broken"
	HomeDueSoon = "due-soon"
)

// SearchView answers a search of the tenancies held on the phone.
type SearchView struct {
	Query   string            `json:"query"`
	Results []housing.Tenancy `json:"results"`
	Held    int               `json:"held"` // how many tenancies the phone holds in all
}

// TenancyView is one tenancy with what is recorded there.
type TenancyView struct {
	Tenancy     housing.Tenancy      `json:"tenancy"`
	Visits      []housing.Visit      `json:"visits"`
	Commitments []housing.Commitment `json:"commitments"`
	Problem     string               `json:"problem,omitempty"`
}

// VisitView is one visit with its promises and feedback, and each promise's
// tenant link (made on the phone).
type VisitView struct {
	Visit       housing.Visit        `json:"visit"`
	Tenancy     housing.Tenancy      `json:"tenancy"`
	Commitments []housing.Commitment `json:"commitments"`
	Feedback    []housing.Feedback   `json:"feedback"`
	Links       map[string]string    `json:"links"`   // commitment ID → full tenant link URL
	Pending     map[string]bool      `json:"pending"` // record ID → not yet on the server
	Problem     string               `json:"problem,omitempty"`
}

// PromiseView is one commitment as the phone holds it, with its tenant link
// when this phone made it.
type PromiseView struct {
	Commitment housing.Commitment `json:"commitment"`
	Link       string             `json:"link,omitempty"`    // the full tenant link URL
	Pending    bool               `json:"pending,omitempty"` // changes not yet on the server
	Problem    string             `json:"problem,omitempty"`
}

// VisitDraft is what the visit form saves in one go. The wiring fills IDs,
// officer, site, tokens and times; the form fills what the officer chose.
type VisitDraft struct {
	TenancyID   string               `json:"tenancy_id"`
	Purpose     housing.Purpose      `json:"purpose"`
	Notes       string               `json:"notes"`
	StartedAt   time.Time            `json:"started_at"`
	Commitments []housing.Commitment `json:"commitments"`        // What, FunctionID, StandardID, DueDate, DueTime, OverrideReason
	Feedback    *housing.Feedback    `json:"feedback,omitempty"` // Answers, Comment, Complaint; nil when none was given
}

// SaveResult answers ActionSaveVisit and ActionAct. On success ID names the
// saved visit (or commitment); on failure Problem says what to fix and Field
// is the refusal's housing.Error Field: the path, within the visit being
// saved, of the input it concerns ("purpose", "commitments.0.due_date"),
// or "" when it concerns no one input. The form maps it to an element.
type SaveResult struct {
	ID      string `json:"id"`
	Problem string `json:"problem,omitempty"`
	Field   string `json:"field,omitempty"`
	Seq     int    `json:"seq"` // increases with every answer, so a repeat is seen as new
}

// ActRequest is an officer's intent on a commitment (acknowledge, complete...).
type ActRequest struct {
	CommitmentID string                   `json:"commitment_id"`
	Kind         string                   `json:"kind"`
	Action       housing.CommitmentAction `json:"action"`
}

// ShareResult answers ActionShare: what happened to the link, in words for
// the page's live region ("" when the phone's share sheet took it).
type ShareResult struct {
	Link    string `json:"link"`
	Message string `json:"message"`
	Seq     int    `json:"seq"`
}

// SignInForm is what the sign-in page sends.
type SignInForm struct {
	Username   string `json:"username"`
	Password   string `json:"password"`
	DeviceName string `json:"device_name"` // how the officer's list of devices names this phone
}

// SignInResult answers ActionSignIn and ActionSignOut.
type SignInResult struct {
	Problem string `json:"problem,omitempty"`
	Done    bool   `json:"done"`
	Seq     int    `json:"seq"`
}

// AttentionItem is a change the server refused, with its reason.
type AttentionItem struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"`
	RecordID string    `json:"record_id"`
	Code     string    `json:"code"`
	Reason   string    `json:"reason"`
	At       time.Time `json:"at"`
	Summary  string    `json:"summary"`        // what it was, in plain words
	What     string    `json:"what,omitempty"` // the words of the promise it concerns, when the phone holds it

	// Data is what was sent: a Visit, Commitment or Feedback, or a
	// CommitmentAction, as the mutation kind says. The sync page offers to
	// correct a visit or a new promise from it.
	Data json.RawMessage `json:"data,omitempty"`
}

// Correction sends a refused change again: Data is the corrected record
// (nil: as it was).
type Correction struct {
	ID   string          `json:"id"` // AttentionItem.ID
	Data json.RawMessage `json:"data,omitempty"`
}

// StorageView is the settings page's facts about this phone's storage.
type StorageView struct {
	Persisted     bool `json:"persisted"` // the browser promised not to evict Doorstep's data
	Asked         bool `json:"asked"`     // navigator.storage.persist() has been asked
	Supported     bool `json:"supported"`
	SchemaVersion int  `json:"schema_version"`
}
