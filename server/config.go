package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"

	"doorstep/server/api"
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
	// Demo seeds the demo landlord into a new, empty database: -demo,
	// DOORSTEP_DEMO; default true. A real landlord starts with -demo=false
	// and creates its first admin with `doorstep user add`.
	Demo bool
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
	cfg := Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", Demo: true}
	for name, field := range map[string]*string{
		"DOORSTEP_ADDR": &cfg.Addr,
		"DOORSTEP_DATA": &cfg.DataDir,
		"DOORSTEP_WEB":  &cfg.WebDir,
	} {
		if v := env(name); v != "" {
			*field = v
		}
	}

	if v := env("DOORSTEP_DEMO"); v == "false" || v == "0" || v == "no" {
		cfg.Demo = false
	}

	proxies := env("DOORSTEP_TRUSTED_PROXIES")

	fs := flag.NewFlagSet("doorstep run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on (env DOORSTEP_ADDR)")
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "folder for the database (env DOORSTEP_DATA)")
	fs.StringVar(&cfg.WebDir, "web", cfg.WebDir, "folder of the built web assets (env DOORSTEP_WEB)")
	fs.BoolVar(&cfg.Demo, "demo", cfg.Demo, "seed the demo landlord into a new, empty database (env DOORSTEP_DEMO)")
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
