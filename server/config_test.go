package main

import (
	"io"
	"testing"
)

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
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", Demo: true},
		},
		{
			name: "Environment",
			env:  map[string]string{"DOORSTEP_ADDR": ":9000", "DOORSTEP_DATA": "/var/lib/doorstep", "DOORSTEP_WEB": "/srv/web"},
			want: Config{Addr: ":9000", DataDir: "/var/lib/doorstep", WebDir: "/srv/web", Demo: true},
		},
		{
			name: "FlagsOverEnvironment",
			args: []string{"-addr", "127.0.0.1:7000", "-data", "/tmp/d"},
			env:  map[string]string{"DOORSTEP_ADDR": ":9000", "DOORSTEP_DATA": "/var/lib/doorstep", "DOORSTEP_WEB": "/srv/web"},
			want: Config{Addr: "127.0.0.1:7000", DataDir: "/tmp/d", WebDir: "/srv/web", Demo: true},
		},
		{
			name: "NoDemoFromEnvironment",
			env:  map[string]string{"DOORSTEP_DEMO": "false"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web"},
		},
		{
			name: "NoDemoFlagOverEnvironment",
			args: []string{"-demo=false"},
			env:  map[string]string{"DOORSTEP_DEMO": "true"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web"},
		},
		{
			name: "FlagEqualToDefaultStillWins",
			args: []string{"-addr=127.0.0.1:8080"},
			env:  map[string]string{"DOORSTEP_ADDR": ":9000"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./data", WebDir: "./web", Demo: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConfig(tt.args, env(tt.env), io.Discard)
			if err != nil {
				t.Fatalf("parseConfig: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
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
