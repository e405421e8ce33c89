package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"

	"doorstep/shared/housing"
)

// FileName is the database file inside the data folder.
const FileName = "doorstep.db"

// driverName is go-sqlite3 with the settings the DSN cannot carry, applied
// to every pooled connection as it opens.
const driverName = "doorstep-sqlite3"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		// Every mutation is applied inside a savepoint (see applyOne), and
		// a savepoint keeps the pages it changes in a journal of its own:
		// in memory that costs a third of what a temporary file did.
		if _, err := c.Exec(`PRAGMA temp_store = MEMORY`, nil); err != nil {
			return err
		}
		// Commits never copy the WAL back into the database file
		// themselves: that copy, with its fsync, landed on whichever
		// commit crossed the threshold, and every phone waiting behind it
		// waited too. checkpoints does it in the background instead.
		_, err := c.Exec(`PRAGMA wal_autocheckpoint = 0`, nil)
		return err
	}})
}

// DB is the open database: two pools of connections to one file, whose
// pragmas are set in the DSN, so every pooled connection has them, not just
// the first. Writes go through db, where every transaction is BEGIN
// IMMEDIATE and so waits its turn for the single writer; reads that must
// agree with each other (a supervisor's queue and its counts) go through
// read, where a transaction is a deferred BEGIN on a query-only connection
// and sees one snapshot of the file without ever taking the write lock.
type DB struct {
	db   *sql.DB
	read *sql.DB
	Path string

	// Now returns the current time. Every service of this DB reads its
	// clock here, so moving it moves them all together: tests move it, and
	// the demo (server/demo) sets it to each moment of its history before
	// that moment's sync.
	Now func() time.Time

	// AwareWindow is how long before the server received a complaint the
	// officer's recorded time is believed when starting its statutory clock
	// (housing.BecameAware); zero means housing.DefaultAwareWindow. It is
	// here, not on a service, because both SyncService (complaints recorded
	// on a phone) and TenantService (complaints through a tenant's link)
	// route complaints.
	AwareWindow time.Duration

	stop      chan struct{} // closed by Close to end checkpoints
	stopped   chan struct{} // closed when checkpoints has ended
	closeOnce sync.Once
}

// Open opens (creating if needed) the database in dir and applies any
// migrations not yet applied.
func Open(ctx context.Context, dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	path := filepath.Join(dir, FileName)
	// _txlock=immediate makes every BeginTx a BEGIN IMMEDIATE: writers queue
	// on the busy timeout instead of failing to upgrade a read lock.
	// _cache_size=-32000 gives each connection 32 MB of page cache, so a
	// transaction holding many phones' batches is not spilled to the WAL
	// before it commits.
	const pragmas = "_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_synchronous=NORMAL&_stmt_cache_size=128&_cache_size=-32000"
	sdb, err := sql.Open(driverName, "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// One connection writes. SQLite takes one writer at a time anyway, and
	// writers that wait on its busy handler are not served in turn: it
	// sleeps and retries, so under a rush (a thousand phones signing in
	// while others sync) one writer could lose every race for longer than
	// the busy timeout and fail with "database is locked". Queued on Go's
	// pool instead, writers take the lock in the order they asked, each
	// waiting only as long as its request allows. Nothing may open a
	// second write transaction, or use db.db, while it holds one.
	sdb.SetMaxOpenConns(1)
	// The readers' pool: go-sqlite3 ignores sql.TxOptions.ReadOnly and
	// begins every transaction with the DSN's _txlock, so read transactions
	// need a pool of their own whose BEGIN is deferred. _query_only makes a
	// write there fail instead of taking the lock.
	rdb, err := sql.Open(driverName, "file:"+path+"?"+pragmas+"&_txlock=deferred&_query_only=1")
	if err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	db := &DB{db: sdb, read: rdb, Path: path, Now: func() time.Time { return time.Now().UTC() }, stop: make(chan struct{}), stopped: make(chan struct{})}
	if err := db.migrate(ctx); err != nil {
		sdb.Close()
		rdb.Close()
		return nil, err
	}
	go db.checkpoints()
	return db, nil
}

// checkpointEvery is how often the WAL is copied back into the database
// file. Between checkpoints the WAL grows by what was written, a few
// megabytes at most on a busy day.
const checkpointEvery = time.Second

// checkpoints copies the WAL into the database file every checkpointEvery,
// in the background, until Close. A passive checkpoint never waits for
// the writer or for readers: what it cannot copy now it copies next time.
func (db *DB) checkpoints() {
	defer close(db.stopped)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-db.stop:
			return
		case <-t.C:
			// An error here (the disk is full, say) also fails the next
			// commit, which reports it where someone will see it.
			db.db.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}
}

// Close stops the checkpoints and closes the database; closing the last
// connection checkpoints what is left, so the readers close first.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		close(db.stop)
		<-db.stopped
	})
	rerr := db.read.Close()
	if err := db.db.Close(); err != nil {
		return err
	}
	return rerr
}

// SQL returns the underlying handle, for tests and tools that inspect tables.
func (db *DB) SQL() *sql.DB { return db.db }

// Tx is a transaction with the time it started, so every row it writes
// carries one timestamp.
type Tx struct {
	*sql.Tx
	now time.Time

	awareWindow time.Duration // DB.AwareWindow when the transaction began
}

// begin starts a write transaction: BEGIN IMMEDIATE (see the DSN), so it
// holds the write lock from its first statement.
func (db *DB) begin(ctx context.Context) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, now: db.Now().UTC(), awareWindow: db.AwareWindow}, nil
}

// beginRead starts a read transaction on the readers' pool: every read in
// it sees the database as it was at its first read, whatever commits
// meanwhile, and it never waits for the writer. A write in it fails. End it
// with Rollback.
func (db *DB) beginRead(ctx context.Context) (*Tx, error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin read: %w", err)
	}
	return &Tx{Tx: tx, now: db.Now().UTC(), awareWindow: db.AwareWindow}, nil
}

// Times are stored as RFC 3339 text in UTC with fixed nanosecond width, so
// text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// mapError turns SQLite constraint failures into housing errors, by code,
// in one place. Anything else is wrapped as internal.
func mapError(err error, what string) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
		switch se.ExtendedCode {
		case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
			return housing.Errorf(housing.CodeConflict, "That %s already exists.", what)
		case sqlite3.ErrConstraintForeignKey:
			return housing.Errorf(housing.CodeInvalid, "That %s refers to something that does not exist.", what)
		case sqlite3.ErrConstraintCheck, sqlite3.ErrConstraintNotNull:
			return housing.Errorf(housing.CodeInvalid, "That %s is incomplete or not allowed.", what)
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// splitIDs reads a short list of slugs (an officer's sites) kept in one
// column, as SQLite's group_concat gives it; it is never searched by SQL.
func splitIDs(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
