// Command doorstep is the Doorstep server: the PWA, its JSON API and the
// tenant link pages, over one SQLite database in the data folder.
//
//	doorstep [run] [-addr 127.0.0.1:8080] [-data ./data] [-web ./web] [-demo] [-session-lifetime 30d] [-trusted-proxies CIDRs]
//	doorstep user|sessions ...       staff accounts and their devices (user.go)
//	doorstep import [-dry-run] FILE...  the landlord's CSV files (import.go)
//
// The first argument may name a subcommand; without one, doorstep runs the
// server. Add a subcommand by adding it to commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command runs one subcommand with its own arguments. ctx ends on SIGINT or
// SIGTERM.
type command func(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error

var commands = map[string]command{
	"run":      run,
	"user":     userCommand,
	"sessions": sessionsCommand,
	"import":   importCommand,
	"token":    tokenCommand,
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dispatch(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// dispatch picks the subcommand named by args[0], or "run" when args is
// empty or starts with a flag, and returns the process's exit code.
func dispatch(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	name := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	cmd, ok := commands[name]
	if !ok {
		names := make([]string, 0, len(commands))
		for n := range commands {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(stderr, "doorstep: unknown command %q (commands: %s)\n", name, strings.Join(names, ", "))
		return 2
	}
	if err := cmd(ctx, args, env, stdout, stderr); err != nil {
		switch {
		case errors.Is(err, errHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		}
		fmt.Fprintln(stderr, "doorstep:", err)
		return 1
	}
	return 0
}
