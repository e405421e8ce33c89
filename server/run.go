package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"doorstep/server/api"
	"doorstep/server/demo"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// shutdownGrace is how long requests in flight get to finish after a signal.
const shutdownGrace = 10 * time.Second

// run is the default command: serve until ctx ends, then shut down
// gracefully.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, env, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))

	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}

	db, err := sqlite.Open(ctx, cfg.DataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.Demo {
		// Before serving: the demo's history moves the database's clock.
		seeded, err := demo.SeedWithHistory(ctx, db)
		if err != nil {
			return fmt.Errorf("seed demo landlord: %w", err)
		}
		if seeded {
			log.Info("seeded the demo landlord", "data", cfg.DataDir)
		} else {
			log.Info("not seeding the demo landlord: the database already holds data", "data", cfg.DataDir)
		}
	}
	tenantKey, err := loadOrCreateKey(cfg.DataDir, "tenant-form.key")
	if err != nil {
		return err
	}

	officers := &sqlite.OfficerService{DB: db}
	srv, err := api.New(api.Config{WebDir: cfg.WebDir, Log: log, TrustedProxies: cfg.TrustedProxies, Services: api.Services{
		Sessions:       &sqlite.SessionService{DB: db, Lifetime: cfg.SessionLifetime},
		Officers:       officers,
		ReferenceAdmin: &sqlite.ReferenceAdminService{DB: db},
		Sync:           &sqlite.SyncService{DB: db},
		Review:         &sqlite.ReviewService{DB: db},
		Tenants:        &sqlite.TenantService{DB: db},
		Imports:        &sqlite.ImportService{DB: db},
		Integrations:   &sqlite.IntegrationService{DB: db},
		TenantKey:      tenantKey,
	}})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	httpServer := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "Doorstep is running at %s (data in %s)\n", serverURL(ln.Addr()), cfg.DataDir)
	if o, err := officers.OfficerByUsername(ctx, demo.Users[0].Username); err == nil && !o.Disabled {
		printDemoSignIns(stdout)
	} else if err := printFirstSteps(ctx, stdout, db, cfg.DataDir); err != nil {
		return err
	}

	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(ln) }()

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// serverURL is the address to open in a browser: an unspecified host (":8080",
// "0.0.0.0:8080") is reachable as localhost.
func serverURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// loadOrCreateKey returns the secret kept in file name under dir, making a
// random one on first start. Keys that sign forms must survive restarts, or
// every open tenant page's form would fail after a release.
func loadOrCreateKey(dir, name string) ([]byte, error) {
	path := filepath.Join(dir, name)
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return b, nil
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("make %s: %w", name, err)
	}
	if err := os.WriteFile(path, key, 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", name, err)
	}
	return key, nil
}

// printDemoSignIns lists the demo accounts, so whoever ran `make run` can
// sign in at once.
func printDemoSignIns(w io.Writer) {
	fmt.Fprintln(w, "Demo sign-ins (password for all: "+demo.Password+"):")
	for _, u := range demo.Users {
		fmt.Fprintf(w, "  %-8s %-10s %-28s %s\n", u.Username, u.Role, demo.SiteNames(u.Sites), strings.Join(u.Functions, ", "))
	}
}

// printFirstSteps tells whoever started a real landlord's server what to
// do next, while it has no admin who can sign in (a new, empty data
// folder) or no sites: the exact commands that make the first admin and
// import the landlord's files (README.md, "Running it for real").
func printFirstSteps(ctx context.Context, w io.Writer, db *sqlite.DB, dataDir string) error {
	officers, err := (&sqlite.OfficerService{DB: db}).Officers(ctx)
	if err != nil {
		return err
	}
	noAdmin := !slices.ContainsFunc(officers, func(o housing.Officer) bool { return o.Role == housing.RoleAdmin && !o.Disabled })
	sites, err := (&sqlite.ReferenceService{DB: db}).Sites(ctx)
	if err != nil {
		return err
	}
	exe, data := shellWord(os.Args[0]), shellWord(dataDir)
	if noAdmin {
		fmt.Fprintf(w, `
No admin can sign in yet. Make the first one in another terminal (it prints
the password to sign in with):
  %s user add -data %s -username admin -name "Your Name" -role admin
`, exe, data)
	}
	if len(sites) == 0 {
		fmt.Fprintf(w, `
No sites, teams, staff or tenancies yet. Import your housing management
system's CSV files (docs/import.md; samples in docs/examples), with
-dry-run first to see what they would do, or upload them as an admin:
  %s import -data %s sites.csv teams.csv staff.csv tenancies.csv
`, exe, data)
	}
	return nil
}

// shellWord is s as one word a shell reads back as s: as it is when it
// holds nothing a shell would take apart, else in single quotes.
func shellWord(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+:,=@%", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
