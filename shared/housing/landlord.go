package housing

import (
	"context"
	"time"
)

// This file is what a landlord loads into Doorstep from its own systems:
// the import of its sites, teams, staff and tenancies from CSV files
// (docs/import.md), and the service that applies one.

// The files an import takes, by name. A file's kind is its base name, so a
// housing management system's nightly export can be dropped in as it is.
const (
	ImportSites     = "sites.csv"
	ImportTeams     = "teams.csv"
	ImportStaff     = "staff.csv"
	ImportTenancies = "tenancies.csv"
)

// MaxImportBytes bounds one import's files together, as uploaded.
const MaxImportBytes = 64 << 20

// ImportFile is one CSV file of an import: its name (one of Import*) and
// its bytes as given.
type ImportFile struct {
	Name string `json:"name"`
	Data []byte `json:"-"`
}

// ImportOptions say how to run an import.
type ImportOptions struct {
	// DryRun works out and reports what would change, and changes nothing.
	DryRun bool `json:"dry_run"`
	// NoPasswords makes new accounts without a password: they cannot sign
	// in until an admin sets one. Otherwise each new account gets a
	// one-time password, returned once in ImportReport.Passwords.
	NoPasswords bool `json:"no_passwords"`
	// Today is the day an end date is compared with; zero means the
	// store's clock.
	Today Date `json:"-"`
}

// ImportCounts says what an import did, or would do, with one file's rows.
// The *Rows lists hold the first few rows of each kind, described in plain
// words ("RIV-0042 Mrs A Khan, 1 River Walk"), for a dry run to show.
type ImportCounts struct {
	Added     int `json:"added"`
	Changed   int `json:"changed"`
	Ended     int `json:"ended"`     // tenancies newly ended; staff newly switched off
	Unchanged int `json:"unchanged"` // rows that change nothing and log nothing
	// NotInFile counts the records stored but not named in the file, left
	// as they are: sites, teams and tenancies are never removed or ended
	// for being left out, and staff made by hand (or already switched
	// off) are not switched off.
	NotInFile int `json:"not_in_file"`

	AddedRows   []string `json:"added_rows,omitempty"`
	ChangedRows []string `json:"changed_rows,omitempty"`
	EndedRows   []string `json:"ended_rows,omitempty"`
}

// ImportSampleRows is how many rows of each kind an ImportCounts lists.
const ImportSampleRows = 5

// OneTimePassword is a new account's first password, shown once.
type OneTimePassword struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// ImportReport is what an import did (or, dry, would do).
type ImportReport struct {
	ID        string       `json:"id"` // "" for a dry run, which is not kept
	At        time.Time    `json:"at"`
	By        string       `json:"by"`      // officer ID, or "" from the command line
	ByName    string       `json:"by_name"` // or "command line"
	DryRun    bool         `json:"dry_run"`
	Files     []string     `json:"files"`
	Sites     ImportCounts `json:"sites"`
	Teams     ImportCounts `json:"teams"`
	Staff     ImportCounts `json:"staff"`
	Tenancies ImportCounts `json:"tenancies"`
	// Passwords are the new accounts' one-time passwords, in the answer to
	// the import that made them and nowhere else: the history keeps none.
	Passwords []OneTimePassword `json:"passwords,omitempty"`
}

// ImportService applies a landlord's CSV files (docs/import.md).
type ImportService interface {
	// Import checks every file and row, then, unless opts.DryRun, applies
	// them in one transaction and keeps the report in the history. Bad
	// input changes nothing: it returns CodeInvalid with every bad row in
	// the error's Problems (file, line, column, reason), or CodeTooLarge
	// for files over MaxImportBytes. by is the admin importing, or the zero
	// Principal from the command line.
	Import(ctx context.Context, by Principal, files []ImportFile, opts ImportOptions) (ImportReport, error)
	// Imports lists the imports applied, newest first.
	Imports(ctx context.Context) ([]ImportReport, error)
}
