package main

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// tokenCLI runs `doorstep token ...` against the database in dir and
// returns what it printed.
func tokenCLI(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	env := func(name string) string {
		if name == "DOORSTEP_DATA" {
			return dir
		}
		return ""
	}
	var out, errOut bytes.Buffer
	err := tokenCommand(context.Background(), args, env, &out, &errOut)
	return out.String() + errOut.String(), err
}

// readsFeed returns the error of reading the feed in dir with token.
func readsFeed(t *testing.T, dir, token string) error {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = (&sqlite.IntegrationService{DB: db}).Events(context.Background(), token, "", 10)
	return err
}

func TestTokenCommand(t *testing.T) {
	dir := seededDir(t)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"ErrNoName", []string{"add", "-teams", "repairs"}, "name"},
		{"ErrNoTeams", []string{"add", "-name", "Repairs system"}, "teams"},
		{"ErrUnknownTeam", []string{"add", "-name", "Repairs system", "-teams", "repairs,gardening"}, `"gardening"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := tokenCLI(t, dir, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v (printed %q), want an error about %s", err, out, tt.want)
			}
		})
	}
	if out, err := tokenCLI(t, dir, "list"); err != nil || strings.Count(out, "\n") != 1 {
		t.Fatalf("after refusals, list printed %q, %v; want only its header", out, err)
	}

	out, err := tokenCLI(t, dir, "add", "-name", "Repairs system (Civica)", "-teams", "repairs, income")
	if err != nil {
		t.Fatalf("add: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^Made integration token (\S+) .*\nToken: (dsi_\S+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("add printed %q, want the token's ID and its secret", out)
	}
	id, secret := m[1], m[2]
	if err := readsFeed(t, dir, secret); err != nil {
		t.Errorf("the printed token does not read the feed: %v", err)
	}

	out, err = tokenCLI(t, dir, "list")
	if err != nil || !strings.Contains(out, id) || !strings.Contains(out, "repairs,income") || strings.Contains(out, secret[4:]) || !strings.Contains(out, "active") {
		t.Errorf("list printed %q, %v; want the token, its teams and no secret", out, err)
	}

	if out, err := tokenCLI(t, dir, "revoke", id); err != nil || !strings.Contains(out, "Revoked") {
		t.Fatalf("revoke: %q, %v", out, err)
	}
	if err := readsFeed(t, dir, secret); housing.ErrorCode(err) != housing.CodeUnauthorized {
		t.Errorf("a revoked token reads the feed: %v", err)
	}
	if out, _ := tokenCLI(t, dir, "list"); !strings.Contains(out, "revoked") {
		t.Errorf("list after revoking printed %q", out)
	}
	if _, err := tokenCLI(t, dir, "revoke", "no-such-token"); err == nil {
		t.Error("revoking an unknown token succeeded")
	}
	if _, err := tokenCLI(t, dir, "add", "-name", "Everything", "-teams", "*"); err != nil {
		t.Errorf("a token for every team: %v", err)
	}
	for _, args := range [][]string{{}, {"rotate"}, {"revoke"}, {"list", "extra"}} {
		if _, err := tokenCLI(t, dir, args...); !errors.Is(err, errUsage) {
			t.Errorf("token %v: %v, want the usage", args, err)
		}
	}
}
