package ui

import (
	"testing"
	"time"
)

func TestSyncStateLabel(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 30, 0, 0, time.UTC)
	earlier := time.Date(2026, 3, 10, 14, 5, 0, 0, time.UTC)
	lastWeek := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		state SyncState
		want  string
	}{
		{"Nothing", SyncState{}, "Not synced yet"},
		{"PendingNeverSynced", SyncState{Pending: 2}, "2 to sync · not synced yet"},
		{"PendingSyncedToday", SyncState{Pending: 1, LastSynced: earlier}, "1 to sync · last 14:05"},
		{"SyncedToday", SyncState{LastSynced: earlier}, "Synced 14:05"},
		{"SyncedLastWeek", SyncState{LastSynced: lastWeek}, "Synced 3 Mar"},
		{"Syncing", SyncState{Pending: 4, Syncing: true, LastSynced: earlier}, "Syncing…"},
		{"OneNeedsAttention", SyncState{Attention: 1, LastSynced: earlier}, "Synced 14:05 · 1 needs attention"},
		{"SomeNeedAttention", SyncState{Pending: 3, Attention: 2}, "3 to sync · not synced yet · 2 need attention"},
		{"NeedsSignInWithPending", SyncState{Pending: 2, NeedsSignIn: true, LastSynced: earlier}, "2 to sync · sign in to send"},
		{"NeedsSignIn", SyncState{NeedsSignIn: true}, "Sign in to sync"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.state.Label(now); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSyncStateDetail(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 30, 0, 0, time.UTC)
	earlier := time.Date(2026, 3, 10, 14, 5, 0, 0, time.UTC)
	lastWeek := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		state SyncState
		want  string
	}{
		{"Nothing", SyncState{LastSynced: earlier}, ""},
		{"Oldest", SyncState{Pending: 2, OldestPending: lastWeek, LastSynced: earlier}, "waiting since 3 Mar"},
		{"Failed", SyncState{Pending: 1, OldestPending: earlier, LastSynced: lastWeek, LastAttempt: now, LastError: "No connection."},
			"since 14:05 · last try failed"},
		{"FailedThenSynced", SyncState{LastSynced: now, LastAttempt: earlier, LastError: "No connection."}, ""},
		{"NeedsSignIn", SyncState{Pending: 1, OldestPending: earlier, LastAttempt: now, LastError: "Sign in again.", NeedsSignIn: true},
			"waiting since 14:05"},
		{"FailedNothingPending", SyncState{LastSynced: lastWeek, LastAttempt: now, LastError: "No connection."}, "last try failed"},
		{"NeedsAttention", SyncState{Attention: 2, Pending: 1, OldestPending: earlier, LastSynced: earlier}, "2 need attention · since 14:05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.state.Detail(now); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
