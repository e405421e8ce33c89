package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// The account commands, for whoever runs the server: they open the
// database directly, so they work before any admin exists and while the
// server is running (SQLite lets both write in turn).
//
//	doorstep user add [-data DIR] -username U -name "Full Name" -role officer|supervisor|admin
//	                  [-sites a,b] [-functions x,y] [-email E] [-password-stdin]
//	doorstep user list [-data DIR]
//	doorstep user disable|enable [-data DIR] USERNAME
//	doorstep user reset-password [-data DIR] [-password-stdin] USERNAME
//	doorstep sessions list [-data DIR] USERNAME
//	doorstep sessions revoke [-data DIR] USERNAME [SESSION-ID]
//
// A password is never taken as an argument, where it would stay in the
// shell's history and show in the process list: it is read from the first
// line of standard input with -password-stdin, or else made up and printed
// once.

const userUsage = `usage:
  doorstep user add [-data DIR] -username U -name "Full Name" -role officer|supervisor|admin [-sites a,b] [-functions x,y] [-email E] [-password-stdin]
  doorstep user list [-data DIR]
  doorstep user disable [-data DIR] USERNAME
  doorstep user enable [-data DIR] USERNAME
  doorstep user reset-password [-data DIR] [-password-stdin] USERNAME`

const sessionsUsage = `usage:
  doorstep sessions list [-data DIR] USERNAME
  doorstep sessions revoke [-data DIR] USERNAME [SESSION-ID]   (without an ID: every device of USERNAME)`

// userCommand is `doorstep user`.
func userCommand(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	return runUser(ctx, args, env, os.Stdin, stdout, stderr)
}

// sessionsCommand is `doorstep sessions`.
func sessionsCommand(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	return runSessions(ctx, args, env, stdout, stderr)
}

// accountFlags are the flags every account command takes.
type accountFlags struct {
	fs            *flag.FlagSet
	data          string
	passwordStdin bool
}

func newAccountFlags(name string, env func(string) string, stderr io.Writer, usage string) *accountFlags {
	f := &accountFlags{fs: flag.NewFlagSet(name, flag.ContinueOnError), data: "./data"}
	if v := env("DOORSTEP_DATA"); v != "" {
		f.data = v
	}
	f.fs.SetOutput(stderr)
	f.fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		f.fs.PrintDefaults()
	}
	f.fs.StringVar(&f.data, "data", f.data, "folder of the database (env DOORSTEP_DATA)")
	return f
}

// parse parses args and checks the number of arguments left, printing the
// usage when they are wrong.
func (f *accountFlags) parse(args []string, minArgs, maxArgs int) ([]string, error) {
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, errHelp
		}
		return nil, errUsage
	}
	if n := f.fs.NArg(); n < minArgs || n > maxArgs {
		f.fs.Usage()
		return nil, errUsage
	}
	return f.fs.Args(), nil
}

func runUser(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, userUsage)
		return errUsage
	}
	verb, args := args[0], args[1:]
	f := newAccountFlags("doorstep user "+verb, env, stderr, userUsage)
	switch verb {
	case "add":
		var in housing.NewOfficer
		var role, sites, functions string
		f.fs.StringVar(&in.Username, "username", "", "what they sign in as, e.g. sarah.okafor")
		f.fs.StringVar(&in.Name, "name", "", "their full name")
		f.fs.StringVar(&role, "role", "officer", "officer, supervisor or admin")
		f.fs.StringVar(&sites, "sites", "", "comma-separated site IDs they work at")
		f.fs.StringVar(&functions, "functions", "", "comma-separated function IDs (teams) they work in")
		f.fs.StringVar(&in.Email, "email", "", "their work email address (optional; admins see it, phones never do)")
		f.fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
		if _, err := f.parse(args, 0, 0); err != nil {
			return err
		}
		in.Role, in.Sites, in.Functions = housing.Role(role), splitList(sites), splitList(functions)
		password, made, err := readPassword(f.passwordStdin, stdin)
		if err != nil {
			return err
		}
		in.Password = password
		return withDB(ctx, f.data, func(db *sqlite.DB) error {
			o, err := (&sqlite.OfficerService{DB: db}).CreateOfficer(ctx, in)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Added %s (%s), %s, sites: %s, functions: %s.\n", o.Name, o.Username, o.Role, orNone(o.Sites), orNone(o.Functions))
			if made {
				fmt.Fprintf(stdout, "Password: %s\nGive it to them in person; it is not shown again.\n", password)
			}
			return nil
		})

	case "list":
		if _, err := f.parse(args, 0, 0); err != nil {
			return err
		}
		return withDB(ctx, f.data, func(db *sqlite.DB) error {
			officers, err := (&sqlite.OfficerService{DB: db}).Officers(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "USERNAME\tNAME\tROLE\tSITES\tFUNCTIONS\tSTATUS")
			for _, o := range officers {
				status := "active"
				if o.Disabled {
					status = "disabled"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", o.Username, o.Name, o.Role, orNone(o.Sites), orNone(o.Functions), status)
			}
			return tw.Flush()
		})

	case "disable", "enable":
		rest, err := f.parse(args, 1, 1)
		if err != nil {
			return err
		}
		return withOfficer(ctx, f.data, rest[0], func(db *sqlite.DB, o housing.Officer) error {
			officers := &sqlite.OfficerService{DB: db}
			if verb == "disable" {
				if err := officers.DisableOfficer(ctx, o.ID); err != nil {
					return err
				}
				fmt.Fprintf(stdout, "%s (%s) can no longer sign in; their devices are signed out.\n", o.Name, o.Username)
				return nil
			}
			if err := officers.EnableOfficer(ctx, o.ID); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s (%s) can sign in again.\n", o.Name, o.Username)
			return nil
		})

	case "reset-password":
		f.fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read the new password from the first line of standard input")
		rest, err := f.parse(args, 1, 1)
		if err != nil {
			return err
		}
		password, made, err := readPassword(f.passwordStdin, stdin)
		if err != nil {
			return err
		}
		return withOfficer(ctx, f.data, rest[0], func(db *sqlite.DB, o housing.Officer) error {
			// No one is signed in here, so every device of theirs is signed
			// out: the old password may be what leaked.
			if err := (&sqlite.OfficerService{DB: db}).SetPassword(ctx, housing.Principal{}, o.ID, password); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "New password set for %s (%s); their devices are signed out and any sign-in delay is lifted.\n", o.Name, o.Username)
			if made {
				fmt.Fprintf(stdout, "Password: %s\nGive it to them in person; it is not shown again.\n", password)
			}
			return nil
		})
	}
	fmt.Fprintf(stderr, "doorstep user: unknown action %q\n%s\n", verb, userUsage)
	return errUsage
}

func runSessions(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, sessionsUsage)
		return errUsage
	}
	verb, args := args[0], args[1:]
	f := newAccountFlags("doorstep sessions "+verb, env, stderr, sessionsUsage)
	switch verb {
	case "list":
		rest, err := f.parse(args, 1, 1)
		if err != nil {
			return err
		}
		return withOfficer(ctx, f.data, rest[0], func(db *sqlite.DB, o housing.Officer) error {
			ss, err := (&sqlite.SessionService{DB: db}).Sessions(ctx, housing.Principal{OfficerID: o.ID, Role: o.Role}, o.ID)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SESSION\tDEVICE\tDEVICE ID\tSIGNED IN\tLAST USED")
			for _, s := range ss {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.DeviceName, s.DeviceID,
					s.CreatedAt.Format("2006-01-02 15:04"), s.LastSeenAt.Format("2006-01-02 15:04"))
			}
			return tw.Flush()
		})

	case "revoke":
		rest, err := f.parse(args, 1, 2)
		if err != nil {
			return err
		}
		return withOfficer(ctx, f.data, rest[0], func(db *sqlite.DB, o housing.Officer) error {
			sessions := &sqlite.SessionService{DB: db}
			if len(rest) == 2 {
				// Acting as the officer themself limits the revoke to their
				// own sessions, so a mistyped ID cannot end someone else's.
				if err := sessions.RevokeSession(ctx, housing.Principal{OfficerID: o.ID, Role: housing.RoleOfficer}, rest[1]); err != nil {
					return err
				}
				fmt.Fprintf(stdout, "Signed out session %s of %s.\n", rest[1], o.Username)
				return nil
			}
			n, err := sessions.RevokeSessions(ctx, o.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Signed out %d device(s) of %s.\n", n, o.Username)
			return nil
		})
	}
	fmt.Fprintf(stderr, "doorstep sessions: unknown action %q\n%s\n", verb, sessionsUsage)
	return errUsage
}

// withDB opens the database in dir, runs fn and closes it. A
// *housing.Error comes back as its message alone, which is written for
// people.
func withDB(ctx context.Context, dir string, fn func(*sqlite.DB) error) error {
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := fn(db); err != nil {
		var he *housing.Error
		if errors.As(err, &he) {
			return errors.New(he.Message)
		}
		return err
	}
	return nil
}

// withOfficer is withDB for the officer who signs in as username.
func withOfficer(ctx context.Context, dir, username string, fn func(*sqlite.DB, housing.Officer) error) error {
	return withDB(ctx, dir, func(db *sqlite.DB) error {
		o, err := (&sqlite.OfficerService{DB: db}).OfficerByUsername(ctx, username)
		if err != nil {
			return err
		}
		return fn(db, o)
	})
}

// readPassword reads a password from the first line of stdin when asked
// to, and otherwise makes one up (made is then true): 128 random bits, far
// beyond guessing, for the officer to be given in person.
func readPassword(fromStdin bool, stdin io.Reader) (password string, made bool, err error) {
	if !fromStdin {
		return housing.NewToken(), true, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), false, nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func orNone(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ",")
}
