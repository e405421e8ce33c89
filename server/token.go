package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// The integration token commands, for whoever runs the server and scripts
// the landlord's other systems: they open the database directly, as the
// account commands do (user.go), so a token can be made before any admin
// signs in. docs/events.md says what a token reads.
//
//	doorstep token add [-data DIR] -name "Repairs system" -teams repairs,income   (or -teams '*')
//	doorstep token list [-data DIR]
//	doorstep token revoke [-data DIR] ID
//
// The secret is printed once, by add, and never again: the server keeps
// only its hash.

const tokenUsage = `usage:
  doorstep token add [-data DIR] -name "What it is for" -teams a,b    (-teams '*' for every team)
  doorstep token list [-data DIR]
  doorstep token revoke [-data DIR] ID`

// tokenCommand is `doorstep token`.
func tokenCommand(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, tokenUsage)
		return errUsage
	}
	verb, args := args[0], args[1:]
	f := newAccountFlags("doorstep token "+verb, env, stderr, tokenUsage)
	switch verb {
	case "add":
		var in housing.NewIntegrationToken
		var teams string
		f.fs.StringVar(&in.Name, "name", "", "what the token is for, e.g. \"Repairs system (Civica)\"")
		f.fs.StringVar(&teams, "teams", "", "comma-separated team (function) IDs whose events it reads, or * for every team")
		if _, err := f.parse(args, 0, 0); err != nil {
			return err
		}
		in.Teams = splitList(teams)
		return withDB(ctx, f.data, func(db *sqlite.DB) error {
			t, err := (&sqlite.IntegrationService{DB: db}).CreateToken(ctx, housing.Principal{}, in)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Made integration token %s (%s) for %s.\nToken: %s\n", t.ID, t.Name, teamsText(t.Teams), t.Token)
			fmt.Fprintln(stdout, "Keep it where the other system keeps its secrets; it is not shown again.")
			return nil
		})

	case "list":
		if _, err := f.parse(args, 0, 0); err != nil {
			return err
		}
		return withDB(ctx, f.data, func(db *sqlite.DB) error {
			tokens, err := (&sqlite.IntegrationService{DB: db}).Tokens(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tTEAMS\tMADE\tLAST USED\tSTATUS")
			for _, t := range tokens {
				status := "active"
				if !t.RevokedAt.IsZero() {
					status = "revoked " + t.RevokedAt.Format("2006-01-02 15:04")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, strings.Join(t.Teams, ","),
					t.CreatedAt.Format("2006-01-02 15:04"), orNever(t.LastUsedAt), status)
			}
			return tw.Flush()
		})

	case "revoke":
		rest, err := f.parse(args, 1, 1)
		if err != nil {
			return err
		}
		return withDB(ctx, f.data, func(db *sqlite.DB) error {
			if err := (&sqlite.IntegrationService{DB: db}).RevokeToken(ctx, housing.Principal{}, rest[0]); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Revoked integration token %s: it reads nothing from now on.\n", rest[0])
			return nil
		})
	}
	fmt.Fprintf(stderr, "doorstep token: unknown action %q\n%s\n", verb, tokenUsage)
	return errUsage
}

// teamsText names a token's teams for people.
func teamsText(teams []string) string {
	if len(teams) == 1 && teams[0] == housing.AllTeams {
		return "every team"
	}
	return "teams " + strings.Join(teams, ", ")
}

func orNever(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Format("2006-01-02 15:04")
}
