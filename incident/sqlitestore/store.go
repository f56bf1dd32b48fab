// Package sqlitestore is the embedded default incident.Store: one SQLite
// file (DATA/incidents.db) through modernc.org/sqlite, SQLite translated to
// pure Go, so the binary stays static and `gridmap serve` needs no database
// server.
//
// The file is in WAL mode with synchronous=FULL: a commit returns after
// the write-ahead log is on disk, so an incident acknowledged with a 201
// survives a kill of the process and a loss of power. (synchronous=NORMAL
// in WAL mode survives a process kill but may lose the last commits on a
// power loss; FULL costs one fsync per commit, which group commit shares
// between every write that arrived meanwhile.)
//
// Every write goes through one writer goroutine that takes all the writes
// queued (up to maxBatch) into one transaction, commits it and then
// acknowledges each (group commit, writer.go). Reads go to a separate pool
// of connections, which WAL lets run beside the writer.
//
// Coordinates are (lon, lat) WGS84 degrees; times are stored as Unix
// nanoseconds (UTC) and read back in UTC.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"

	"github.com/gridmap/gridmap/incident"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrClosed is the error of a call on a closed Store.
var ErrClosed = errors.New("incident store closed")

// readers is the number of read connections: enough for the HTTP
// handlers, the stream's resumes and a Scan at once on a small machine.
const readers = 4

// writerCacheKiB is the page cache of the write connection: the indexes
// of a year of incidents stay in memory while a bulk import adds to them
// (SQLite's default is 2 MiB).
const writerCacheKiB = 64 << 10

// busyTimeoutMS is how long a connection waits for a lock held by another
// (a checkpoint, another process opening the file) before it fails.
const busyTimeoutMS = 10000

var _ incident.Store = (*Store)(nil)

// Store is an incident.Store in one SQLite file. It is safe for concurrent
// use.
type Store struct {
	path string
	wdb  *sql.DB // one connection: the writer goroutine's
	rdb  *sql.DB // the readers' pool
	w    *writer
}

// Open opens (creating it when missing) the store in the SQLite file at
// path, brings its schema to the current version and starts its writer. It
// refuses a file whose schema is newer than this program knows.
func Open(path string) (*Store, error) {
	wdb, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("open incident store: %w", err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	if err := migrate(context.Background(), wdb); err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open incident store %s: %w", path, err)
	}
	rdb, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open incident store readers: %w", err)
	}
	rdb.SetMaxOpenConns(readers)
	rdb.SetMaxIdleConns(readers)
	w, err := newWriter(wdb)
	if err != nil {
		wdb.Close()
		rdb.Close()
		return nil, fmt.Errorf("open incident store %s: %w", path, err)
	}
	return &Store{path: path, wdb: wdb, rdb: rdb, w: w}, nil
}

// dsn is the data source name of the file at path: WAL, synchronous=FULL,
// a busy timeout and foreign keys; the writer's transactions take the
// write lock at BEGIN, the readers' connections are query-only.
func dsn(path string, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+fmt.Sprint(busyTimeoutMS)+")")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	// statement journals and the savepoints' sub-journals in memory, not
	// in temporary files written and read through system calls
	q.Add("_pragma", "temp_store(MEMORY)")
	if writer {
		q.Set("_txlock", "immediate")
		q.Add("_pragma", "cache_size(-"+fmt.Sprint(writerCacheKiB)+")")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Close stops the writer after the writes already queued and closes the
// file. Calls after Close return ErrClosed.
func (s *Store) Close() error {
	s.w.close()
	return errors.Join(s.rdb.Close(), s.wdb.Close())
}

// Check runs SQLite's integrity check on the file and returns an error
// naming the first problems it finds.
func (s *Store) Check(ctx context.Context) error {
	rows, err := s.rdb.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check of %s: %v", s.path, problems)
	}
	return nil
}
