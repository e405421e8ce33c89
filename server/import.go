package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// The import command loads a landlord's sites, teams, staff and tenancies
// from the CSV files its housing management system exports
// (docs/import.md), straight into the database, as the admin screen's
// upload does through the API. Like the account commands it works before
// any admin exists and while the server runs.
//
//	doorstep import [-data DIR] [-dry-run] [-no-passwords] FILE...

const importUsage = `usage:
  doorstep import [-data DIR] [-dry-run] [-no-passwords] FILE...
FILE is sites.csv, teams.csv, staff.csv or tenancies.csv, by its name (see docs/import.md).`

// importCommand is `doorstep import`.
func importCommand(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	f := newAccountFlags("doorstep import", env, stderr, importUsage)
	var opts housing.ImportOptions
	f.fs.BoolVar(&opts.DryRun, "dry-run", false, "show what the import would change, and change nothing")
	f.fs.BoolVar(&opts.NoPasswords, "no-passwords", false, "make new accounts without a password (an admin sets one later)")
	paths, err := f.parse(args, 1, math.MaxInt)
	if err != nil {
		return err
	}
	files, err := readImportFiles(paths)
	if err != nil {
		return err
	}
	db, err := sqlite.Open(ctx, f.data)
	if err != nil {
		return err
	}
	defer db.Close()
	report, err := (&sqlite.ImportService{DB: db}).Import(ctx, housing.Principal{}, files, opts)
	var he *housing.Error
	if errors.As(err, &he) {
		// Each problem on a line of its own; the message that sums them up
		// ends the output, and the exit status is 1.
		for _, p := range he.Problems {
			fmt.Fprintln(stderr, problemLine(p))
		}
		return errors.New(he.Message)
	}
	if err != nil {
		return err
	}
	printImport(stdout, report)
	return nil
}

// readImportFiles reads the files at paths, each named by its base name,
// refusing them before reading when together they are over
// housing.MaxImportBytes.
func readImportFiles(paths []string) ([]housing.ImportFile, error) {
	var size int64
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		size += info.Size()
	}
	if size > housing.MaxImportBytes {
		return nil, fmt.Errorf("the files come to %d MiB; an import takes at most %d MiB together: import the tenancies on their own, or in parts", size>>20, housing.MaxImportBytes>>20)
	}
	files := make([]housing.ImportFile, len(paths))
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		files[i] = housing.ImportFile{Name: filepath.Base(p), Data: data}
	}
	return files, nil
}

// problemLine is a problem as compilers print theirs, so an editor can
// jump to it: "tenancies.csv:14: end_date: The tenancy ends ...". A
// problem with a whole file has no line, one with no column no column.
func problemLine(p housing.Problem) string {
	s := p.File
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
	}
	s += ": "
	if p.Column != "" {
		s += p.Column + ": "
	}
	return s + p.Message
}

// printImport prints what an import did, or would do: each file's counts
// and first rows of each kind, then each new account's one-time password.
func printImport(w io.Writer, r housing.ImportReport) {
	if r.DryRun {
		fmt.Fprintln(w, "Dry run: nothing was changed. Imported, these files would do this:")
	} else {
		fmt.Fprintf(w, "Imported %s (import %s).\n", strings.Join(r.Files, ", "), r.ID)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, f := range r.Files {
		var n housing.ImportCounts
		ended := ""
		switch f {
		case housing.ImportSites:
			n = r.Sites
		case housing.ImportTeams:
			n = r.Teams
		case housing.ImportStaff:
			n, ended = r.Staff, "switched off"
		case housing.ImportTenancies:
			n, ended = r.Tenancies, "ended"
		}
		counts := fmt.Sprintf("%d added, %d changed", n.Added, n.Changed)
		if ended != "" {
			counts += fmt.Sprintf(", %d %s", n.Ended, ended)
		}
		counts += fmt.Sprintf(", %d unchanged", n.Unchanged)
		if n.NotInFile > 0 {
			counts += fmt.Sprintf(", %d not in the file (left as they are)", n.NotInFile)
		}
		fmt.Fprintf(tw, "%s\t%s\n", f, counts)
		for _, rows := range []struct {
			what  string
			n     int
			shown []string
		}{{"added", n.Added, n.AddedRows}, {"changed", n.Changed, n.ChangedRows}, {ended, n.Ended, n.EndedRows}} {
			for i, row := range rows.shown {
				label := ""
				if i == 0 {
					label = "  " + rows.what
				}
				fmt.Fprintf(tw, "%s\t%s\n", label, row)
			}
			if more := rows.n - len(rows.shown); more > 0 && len(rows.shown) > 0 {
				fmt.Fprintf(tw, "\t…and %d more\n", more)
			}
		}
	}
	tw.Flush()
	if len(r.Passwords) > 0 {
		fmt.Fprintln(w, "\nOne-time passwords, shown this once: give each person theirs, in person.")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, p := range r.Passwords {
			fmt.Fprintf(tw, "  %s\t%s\n", p.Username, p.Password)
		}
		tw.Flush()
	}
}
