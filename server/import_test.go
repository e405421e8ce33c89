package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"doorstep/server/sqlite"
)

// These tests run `doorstep import` as the command line does (dispatch),
// over a real data folder, with the sample files in docs/examples and
// hand-made bad ones.

// importCLI runs `doorstep import args...` with DOORSTEP_DATA set to dir
// and returns its exit code and what it printed on each stream.
func importCLI(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	env := func(name string) string {
		if name == "DOORSTEP_DATA" {
			return dir
		}
		return ""
	}
	var out, errOut bytes.Buffer
	code = dispatch(context.Background(), append([]string{"import"}, args...), env, &out, &errOut)
	return code, out.String(), errOut.String()
}

// samplePaths are the paths of the sample set.
func samplePaths() []string {
	var out []string
	for _, name := range []string{"sites.csv", "teams.csv", "staff.csv", "tenancies.csv"} {
		out = append(out, filepath.Join("..", "docs", "examples", name))
	}
	return out
}

// tableCounts is how many rows each table an import writes holds, and the
// change log's high-water mark.
func tableCounts(t *testing.T, dir string) string {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	for _, q := range []string{
		`SELECT COUNT(*) FROM sites`, `SELECT COUNT(*) FROM functions`, `SELECT COUNT(*) FROM officers`,
		`SELECT COUNT(*) FROM tenancies`, `SELECT COUNT(*) FROM imports`, `SELECT COALESCE(MAX(seq), 0) FROM changes`,
	} {
		var n int
		if err := db.SQL().QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s = %d\n", q[len("SELECT "):], n)
	}
	return b.String()
}

func TestImportCommandSamples(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := importCLI(t, dir, samplePaths()...)
	if code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"Imported sites.csv, teams.csv, staff.csv, tenancies.csv",
		"sites.csv      3 added, 0 changed, 0 unchanged",
		"staff.csv      12 added, 0 changed, 0 switched off, 0 unchanged",
		"tenancies.csv  60 added, 0 changed, 0 ended, 0 unchanged",
		"  added        MEA-0007 Ms F Hughes, 86 Meadow Lane, Fenwick (meadowbank)\n",
		"…and 55 more",
		"One-time passwords, shown this once",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	passwords := regexp.MustCompile(`(?m)^  ([a-z.]+)\s+([A-Za-z0-9_-]{22})$`).FindAllStringSubmatch(out, -1)
	if len(passwords) != 12 {
		t.Fatalf("got %d one-time passwords printed, want 12:\n%s", len(passwords), out)
	}
	if err := canSignIn(t, dir, passwords[2][1], passwords[2][2]); err != nil {
		t.Errorf("%s cannot sign in with the password printed: %v", passwords[2][1], err)
	}

	// Again: nothing changes, nothing is logged, no password is printed.
	before := tableCounts(t, dir)
	code, out, errOut = importCLI(t, dir, samplePaths()...)
	if code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "tenancies.csv  0 added, 0 changed, 0 ended, 60 unchanged") || strings.Contains(out, "password") {
		t.Errorf("a second import printed:\n%s", out)
	}
	after := tableCounts(t, dir)
	if want := strings.Replace(before, "COUNT(*) FROM imports = 1", "COUNT(*) FROM imports = 2", 1); after != want {
		t.Errorf("a second import changed more than the history:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestImportCommandDryRun(t *testing.T) {
	dir := t.TempDir()
	before := tableCounts(t, dir)
	code, out, errOut := importCLI(t, dir, append([]string{"-dry-run"}, samplePaths()...)...)
	if code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	if !strings.HasPrefix(out, "Dry run: nothing was changed.") || !strings.Contains(out, "60 added") || strings.Contains(out, "password") {
		t.Errorf("a dry run printed:\n%s", out)
	}
	if after := tableCounts(t, dir); after != before {
		t.Errorf("a dry run changed the database:\n%s", after)
	}
}

// TestImportCommandRefused gives bad files: every problem is printed on
// stderr as file:line: column: reason, the exit status is 1, and nothing
// changes.
func TestImportCommandRefused(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := importCLI(t, dir, append([]string{"-no-passwords"}, samplePaths()...)...); code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	bad := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(bad, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	files := []string{
		write("sites.csv", "site_ref,name\nmeadowbank,Meadowbank Estate\n"),
		write("tenancies.csv", "tenancy_ref,site_ref,household,address_line1,start_date,end_date\n"+
			"MEA-0007,meadowbank,Ms F Hughes,86 Meadow Lane,1992-09-28,1990-01-01\n"+
			"NEW-1,hollins,Mr A New,1 New Road,,\n"+
			"NEW-2,meadowbank,Mr B New,2 New Road,31/12/2025,\n"),
		write("staff.CSV", "username,name,role,sites,teams\nnew.person,New Person,boss,meadowbank,\n"),
		write("notes.txt", "hello"),
	}
	before := tableCounts(t, dir)
	code, out, errOut := importCLI(t, dir, files...)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s%s", code, out, errOut)
	}
	want := []string{
		"notes.txt: is not one of the files an import takes: sites.csv, teams.csv, staff.csv or tenancies.csv.",
		`staff.csv:2: role: "boss" is not a role; a role is officer, supervisor or admin.`,
		"tenancies.csv:2: end_date: The tenancy ends (1990-01-01) before it starts (1992-09-28).",
		`tenancies.csv:3: site_ref: There is no site "hollins": it is neither in sites.csv nor already in Doorstep.`,
		"doorstep: Nothing was imported: correct the 4 problems listed, then import again.",
	}
	if got := strings.Split(strings.TrimSpace(errOut), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got stderr:\n%s\nwant:\n%s", errOut, strings.Join(want, "\n"))
	}
	if out != "" {
		t.Errorf("a refused import printed on stdout:\n%s", out)
	}
	if after := tableCounts(t, dir); after != before {
		t.Errorf("a refused import changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}
