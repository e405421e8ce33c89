package main

import (
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestConfigFromMakeRun parses the command line `make run` starts the
// server with (as `make -n` prints it) the way the server would, so the
// Makefile and the config cannot disagree: `make run` asks for the demo,
// and DOORSTEP_DATA, when set, chooses the data folder.
func TestConfigFromMakeRun(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("make is not installed, and CI=true runs every test: install Debian's make")
		}
		t.Skip("make is not installed (Debian's make package); this test reads what `make run` starts")
	}
	for _, tc := range []struct {
		name, data, want string
	}{
		{"DataFromEnvironment", "/srv/doorstep-data", "/srv/doorstep-data"},
		{"DataDefault", "", "./data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			if tc.data != "" {
				env["DOORSTEP_DATA"] = tc.data
			}
			args := makeRunArgs(t, env)
			cfg, err := parseConfig(args, func(k string) string { return env[k] }, io.Discard)
			if err != nil {
				t.Fatalf("parse %q: %v", args, err)
			}
			if cfg.DataDir != tc.want || !cfg.Demo {
				t.Errorf("make run starts the server with %q: data folder %q and demo %v, want %q and true", args, cfg.DataDir, cfg.Demo, tc.want)
			}
		})
	}
}

// makeRunArgs returns the arguments `make run`, with env set, passes to
// bin/doorstep, from a dry run that builds nothing.
func makeRunArgs(t *testing.T, env map[string]string) []string {
	t.Helper()
	cmd := exec.Command("make", "-n", "--no-print-directory", "run")
	cmd.Dir = ".."
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DOORSTEP_") && !strings.HasPrefix(kv, "MAKE") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("make -n run: %v\n%s", err, out)
	}
	var line string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "./bin/doorstep") {
			line = l
		}
	}
	if line == "" {
		t.Fatalf("make -n run printed no ./bin/doorstep command:\n%s", out)
	}
	args := strings.Fields(line)[1:]
	if len(args) > 0 && args[0] == "run" {
		args = args[1:]
	}
	return args
}
