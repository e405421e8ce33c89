package main

import (
	"io"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"doorstep/server/sqlite"
)

// month is the default session lifetime.
const month = sqlite.DefaultSessionLifetime

func TestParseConfig(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want Config
	}{
		{
			name: "Defaults",
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", SessionLifetime: month},
		},
		{
			name: "Environment",
			env:  map[string]string{"DOORSTEP_ADDR": ":9000", "DOORSTEP_DATA": "/var/lib/doorstep", "DOORSTEP_WEB": "/srv/web"},
			want: Config{Addr: ":9000", DataDir: "/var/lib/doorstep", WebDir: "/srv/web", SessionLifetime: month},
		},
		{
			name: "FlagsOverEnvironment",
			args: []string{"-addr", "127.0.0.1:7000", "-data", "/tmp/d"},
			env:  map[string]string{"DOORSTEP_ADDR": ":9000", "DOORSTEP_DATA": "/var/lib/doorstep", "DOORSTEP_WEB": "/srv/web"},
			want: Config{Addr: "127.0.0.1:7000", DataDir: "/tmp/d", WebDir: "/srv/web", SessionLifetime: month},
		},
		{
			name: "DemoFromEnvironment",
			env:  map[string]string{"DOORSTEP_DEMO": "true"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", Demo: true, SessionLifetime: month},
		},
		{
			name: "DemoFromEnvironmentAnyCase",
			env:  map[string]string{"DOORSTEP_DEMO": "Yes"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", Demo: true, SessionLifetime: month},
		},
		{
			name: "DemoFlag",
			args: []string{"-demo"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", Demo: true, SessionLifetime: month},
		},
		{
			name: "SessionLifetimeInDays",
			env:  map[string]string{"DOORSTEP_SESSION_LIFETIME": "7d"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", SessionLifetime: 7 * 24 * time.Hour},
		},
		{
			name: "SessionLifetimeFlagOverEnvironment",
			args: []string{"-session-lifetime", "36h"},
			env:  map[string]string{"DOORSTEP_SESSION_LIFETIME": "7d"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", SessionLifetime: 36 * time.Hour},
		},
		{
			name: "NoDemoFromEnvironment",
			env:  map[string]string{"DOORSTEP_DEMO": "false"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", SessionLifetime: month},
		},
		{
			name: "NoDemoFlagOverEnvironment",
			args: []string{"-demo=false"},
			env:  map[string]string{"DOORSTEP_DEMO": "true"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", SessionLifetime: month},
		},
		{
			name: "TrustedProxiesFromEnvironment",
			env:  map[string]string{"DOORSTEP_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", SessionLifetime: month, TrustedProxies: []*net.IPNet{
				{IP: net.IP{10, 0, 0, 0}, Mask: net.CIDRMask(8, 32)}, {IP: net.IP{192, 0, 2, 7}, Mask: net.CIDRMask(32, 32)}}},
		},
		{
			name: "TrustedProxiesFlagOverEnvironment",
			args: []string{"-trusted-proxies", "fd00::/8"},
			env:  map[string]string{"DOORSTEP_TRUSTED_PROXIES": "10.0.0.0/8"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", SessionLifetime: month, TrustedProxies: []*net.IPNet{
				{IP: net.ParseIP("fd00::"), Mask: net.CIDRMask(8, 128)}}},
		},
		{
			name: "FlagEqualToDefaultStillWins",
			args: []string{"-addr=127.0.0.1:8080"},
			env:  map[string]string{"DOORSTEP_ADDR": ":9000"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", SessionLifetime: month},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConfig(tt.args, env(tt.env), io.Discard)
			if err != nil {
				t.Fatalf("parseConfig: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseConfigErrSessionLifetime(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"TooShort", []string{"-session-lifetime", "10m"}, nil},
		{"Zero", []string{"-session-lifetime", "0d"}, nil},
		{"Negative", []string{"-session-lifetime", "-5d"}, nil},
		{"NotADuration", []string{"-session-lifetime", "a month"}, nil},
		{"BadEnvironment", nil, map[string]string{"DOORSTEP_SESSION_LIFETIME": "forever"}},
		{"TooLongDays", []string{"-session-lifetime", "366d"}, nil},
		{"TooLongHours", []string{"-session-lifetime", "8785h"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr strings.Builder
			_, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, &stderr)
			if err != errUsage || !strings.Contains(stderr.String(), "lifetime") && !strings.Contains(stderr.String(), "LIFETIME") {
				t.Errorf("got %v, stderr %q; want a usage error that names the lifetime", err, stderr.String())
			}
		})
	}
}

// TestParseConfigErrSessionLifetimeTooLong pins that a lifetime past the
// maximum says so and names the maximum, rather than calling a number of
// days not a number.
func TestParseConfigErrSessionLifetimeTooLong(t *testing.T) {
	for _, v := range []string{"100000d", "99999999999999999999d", "366d"} {
		t.Run(v, func(t *testing.T) {
			var stderr strings.Builder
			_, err := parseConfig([]string{"-session-lifetime", v}, func(string) string { return "" }, &stderr)
			if err != errUsage || !strings.Contains(stderr.String(), "too long") || !strings.Contains(stderr.String(), "365d") {
				t.Errorf("got %v, stderr %q; want a usage error saying too long, at most 365d", err, stderr.String())
			}
		})
	}
}

func TestParseConfigDemoOnOff(t *testing.T) {
	for v, want := range map[string]bool{"on": true, "ON": true, "off": false, "Off": false} {
		t.Run(v, func(t *testing.T) {
			got, err := parseConfig(nil, func(k string) string { return map[string]string{"DOORSTEP_DEMO": v}[k] }, io.Discard)
			if err != nil || got.Demo != want {
				t.Errorf("DOORSTEP_DEMO=%s: got Demo %v, err %v; want %v", v, got.Demo, err, want)
			}
		})
	}
}

func TestParseConfigErrDemoEnvironment(t *testing.T) {
	var stderr strings.Builder
	_, err := parseConfig(nil, func(k string) string { return map[string]string{"DOORSTEP_DEMO": "ture"}[k] }, &stderr)
	if err != errUsage || !strings.Contains(stderr.String(), "DOORSTEP_DEMO") {
		t.Errorf("got %v, stderr %q; want a usage error that names DOORSTEP_DEMO", err, stderr.String())
	}
}

func TestParseConfigRejectsBadTrustedProxies(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "10.0.0.0/8,nonsense", "300.1.1.1", "10.0.0.0/8;10.1.0.0/16"} {
		t.Run(bad, func(t *testing.T) {
			_, err := parseConfig([]string{"-trusted-proxies", bad}, func(string) string { return "" }, io.Discard)
			if err == nil || !strings.Contains(err.Error(), "-trusted-proxies") || !strings.Contains(err.Error(), "CIDR") {
				t.Errorf("got %v, want an error that names the flag and says what a CIDR is", err)
			}
		})
	}
	// The server refuses to start rather than silently trusting nobody.
	var stderr strings.Builder
	code := dispatch(t.Context(), []string{"run", "-data", t.TempDir(), "-trusted-proxies", "10.0.0.0/33"}, func(string) string { return "" }, io.Discard, &stderr)
	if code == 0 || !strings.Contains(stderr.String(), `"10.0.0.0/33"`) {
		t.Errorf("doorstep run with a bad CIDR: exit code %d, stderr %q; want a failure naming the bad entry", code, stderr.String())
	}
}

func TestParseConfigRejectsStrayArguments(t *testing.T) {
	if _, err := parseConfig([]string{"serve"}, func(string) string { return "" }, io.Discard); err != errUsage {
		t.Errorf("got %v, want errUsage", err)
	}
}

func TestDispatchUnknownCommand(t *testing.T) {
	if code := dispatch(t.Context(), []string{"frobnicate"}, func(string) string { return "" }, io.Discard, io.Discard); code != 2 {
		t.Errorf("exit code %d, want 2", code)
	}
}
