package sqlite_test

import (
	"testing"
	"time"

	"doorstep/server/demo"
	"doorstep/server/demo/demotest"
	"doorstep/server/sqlite"
	"doorstep/shared/housing"
)

// The checks that need the demo landlord's history are written inside the
// package (sync_snapshot_test.go, sync_recent_test.go), where they can see
// how a pull pages; package demo, which makes the history through this
// package, can only be imported here.

// demoHistory returns a database holding the demo landlord and its history
// as on a Monday morning, with the demo's staff on phones of their own.
func demoHistory(t *testing.T) sqlite.DemoHistory {
	t.Helper()
	h := sqlite.DemoHistory{
		DB:     demotest.HistoryAt(t, time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)),
		People: map[string]housing.Principal{},
	}
	for _, u := range demo.Users {
		h.People[u.Username] = housing.Principal{OfficerID: demo.OfficerID(u.Username), Name: u.Name, Role: u.Role,
			Sites: u.Sites, Functions: u.Functions, DeviceID: "phone-" + u.Username}
	}
	return h
}

func TestSnapshotKindEndsOnPageBoundary(t *testing.T) {
	sqlite.CheckSnapshotKindEndsOnPageBoundary(t, demoHistory(t))
}

func TestSnapshotEveryPageSize(t *testing.T) { sqlite.CheckSnapshotEveryPageSize(t, demoHistory(t)) }

func TestSnapshotThousandAtBoundary(t *testing.T) {
	sqlite.CheckSnapshotThousandAtBoundary(t, demoHistory(t))
}

func TestRecentChangesMatchSQLite(t *testing.T) {
	sqlite.CheckRecentChangesMatchSQLite(t, demoHistory(t))
}
