package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"doorstep/server/api"
	"doorstep/server/sqlite"
)

// Config is what the server needs to start. Each setting comes from its flag
// if given, else from its environment variable, else from its default.
type Config struct {
	// Addr is the address to listen on: -addr, DOORSTEP_ADDR; default
	// 127.0.0.1:8080.
	Addr string
	// DataDir holds the SQLite database: -data, DOORSTEP_DATA; default ./data.
	// It is created if missing.
	DataDir string
	// WebDir holds app.wasm, app.css and the icons: -web, DOORSTEP_WEB;
	// default ./web.
	WebDir string
	// Demo seeds the demo landlord, whose sign-ins and password are
	// published, into a new, empty database: -demo, DOORSTEP_DEMO; default
	// false, so a real landlord's new data folder never holds them. `make
	// run` asks for it. Without it, create the first admin with `doorstep
	// user add`.
	Demo bool
	// SessionLifetime is how long a device's sign-in lasts, however often
	// it is used: -session-lifetime, DOORSTEP_SESSION_LIFETIME, as days
	// ("30d") or a Go duration ("720h"); default
	// sqlite.DefaultSessionLifetime (30 days); at least an hour.
	SessionLifetime time.Duration
	// TrustedProxies are the reverse proxies in front of the server:
	// -trusted-proxies, DOORSTEP_TRUSTED_PROXIES, comma-separated CIDRs or
	// addresses; default none. Only a request from one of them may name the
	// caller in X-Forwarded-For or X-Real-IP (for the rate limits and the
	// log) and say in X-Forwarded-Proto that it came over HTTPS (for the
	// Secure cookie and HSTS). A bad entry stops the server at start.
	TrustedProxies []*net.IPNet
}

// errUsage reports bad flags, and errHelp a request for help; the flag
// package has printed the usage either way.
var (
	errUsage = errors.New("usage")
	errHelp  = errors.New("help")
)

// parseConfig reads the run command's flags over the environment over the
// defaults. A flag's default is the environment's value, so a flag given
// explicitly always wins.
func parseConfig(args []string, env func(string) string, stderr io.Writer) (Config, error) {
	cfg := Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", SessionLifetime: sqlite.DefaultSessionLifetime}
	for name, field := range map[string]*string{
		"DOORSTEP_ADDR": &cfg.Addr,
		"DOORSTEP_DATA": &cfg.DataDir,
		"DOORSTEP_WEB":  &cfg.WebDir,
	} {
		if v := env(name); v != "" {
			*field = v
		}
	}

	if v := env("DOORSTEP_DEMO"); v != "" {
		demo, err := parseYesNo(v)
		if err != nil {
			fmt.Fprintf(stderr, "DOORSTEP_DEMO: %v\n", err)
			return cfg, errUsage
		}
		cfg.Demo = demo
	}
	lifetime := lifetimeFlag{&cfg.SessionLifetime}
	if v := env("DOORSTEP_SESSION_LIFETIME"); v != "" {
		if err := lifetime.Set(v); err != nil {
			fmt.Fprintf(stderr, "DOORSTEP_SESSION_LIFETIME: %v\n", err)
			return cfg, errUsage
		}
	}

	proxies := env("DOORSTEP_TRUSTED_PROXIES")

	fs := flag.NewFlagSet("doorstep run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on (env DOORSTEP_ADDR)")
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "folder for the database (env DOORSTEP_DATA)")
	fs.StringVar(&cfg.WebDir, "web", cfg.WebDir, "folder of the built web assets (env DOORSTEP_WEB)")
	fs.BoolVar(&cfg.Demo, "demo", cfg.Demo, "seed the demo landlord, with its published sign-ins, into a new, empty database (env DOORSTEP_DEMO)")
	fs.Var(lifetime, "session-lifetime", "how long a device's sign-in lasts, used or not: days (30d) or a duration (720h) (env DOORSTEP_SESSION_LIFETIME)")
	fs.StringVar(&proxies, "trusted-proxies", proxies, "comma-separated CIDRs of the reverse proxies whose X-Forwarded-For, X-Real-IP and X-Forwarded-Proto to believe; default none (env DOORSTEP_TRUSTED_PROXIES)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, errHelp
		}
		return cfg, errUsage
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return cfg, errUsage
	}
	var err error
	if cfg.TrustedProxies, err = api.ParseTrustedProxies(proxies); err != nil {
		return cfg, fmt.Errorf("-trusted-proxies: %w", err)
	}
	return cfg, nil
}

// MaxSessionLifetime is the longest sign-in -session-lifetime accepts: a
// year. A lost phone stays signed in for the whole lifetime, so a longer one
// is a mistake rather than a policy (and 100000d overflows a Duration).
const MaxSessionLifetime = 365 * 24 * time.Hour

// lifetimeFlag reads a session lifetime as whole days ("30d") or a Go
// duration ("720h"), refusing anything under an hour (a shorter one would
// sign officers out in the middle of a visit) or over MaxSessionLifetime.
type lifetimeFlag struct{ d *time.Duration }

func (f lifetimeFlag) String() string {
	if f.d == nil {
		return ""
	}
	if *f.d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(*f.d/(24*time.Hour))) + "d"
	}
	return f.d.String()
}

func (f lifetimeFlag) Set(s string) error {
	var d time.Duration
	if days, ok := strings.CutSuffix(strings.TrimSpace(s), "d"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(days))
		switch {
		case err != nil && !errors.Is(err, strconv.ErrRange):
			return fmt.Errorf("%q is not a number of days, like 30d", s)
		case err != nil || n > int(MaxSessionLifetime/(24*time.Hour)):
			return fmt.Errorf("%q is too long: at most %dd", s, MaxSessionLifetime/(24*time.Hour))
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(strings.TrimSpace(s)); err != nil {
			// time.ParseDuration reports an overflow as invalid too, so
			// the maximum is named here as well.
			return fmt.Errorf("%q is not a lifetime: give days (30d) or hours (720h), at most %dd", s, MaxSessionLifetime/(24*time.Hour))
		}
	}
	if d > MaxSessionLifetime {
		return fmt.Errorf("%q is too long: at most %dd (%v)", s, MaxSessionLifetime/(24*time.Hour), MaxSessionLifetime)
	}
	if d < time.Hour {
		return fmt.Errorf("%q is under an hour: officers would be signed out mid-visit", s)
	}
	*f.d = d
	return nil
}

// parseYesNo reads a switch from the environment: true, 1, yes or on turn
// it on; false, 0, no or off turn it off, in any case. Anything else is an error
// rather than off, so a typo never silently changes what the server does.
func parseYesNo(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "on":
		return true, nil
	case "false", "0", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is neither true nor false (say true/false, yes/no, on/off or 1/0)", s)
}
