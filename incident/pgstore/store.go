// Package pgstore is the incident.Store in PostgreSQL (--store
// postgres://…), shared by every replica of gridmap: incidents, their
// history, idempotency keys and the staff rosters in the schema gridmap
// (migration internal/pgschema/migrations/00003_incidents.sql), through a
// pgx pool.
//
// An incident's point is kept as lon and lat (WGS84 degrees, exact) and as
// the geometry(Point, 4326) column point, GiST-indexed, that PostgreSQL
// derives from them, so that GIS staff can open the incidents in QGIS;
// incident_grids holds every grid code of every chain. Times are
// timestamptz: the store keeps them to the microsecond (a time given with
// nanoseconds comes back truncated, and a step's expected UpdatedAt is
// compared truncated).
//
// Seqs are visibility-safe: a commit takes its Seqs under a
// transaction-level advisory lock held until it ends, and PostgreSQL makes
// a transaction visible before it releases its locks, so the transitions
// any reader sees are always every one committed up to some Seq: Since
// never skips a transition committed later with a lower Seq. Commits
// that store transitions are therefore serialised; to share their WAL
// flushes, Create, CreateSeq and Apply go through a group commit
// (writer.go, batch.go, pipe.go): the writes waiting are run in one
// transaction, each in a savepoint of its own, and committed once. Each
// commit that stores transitions notifies channel gridmap_incidents with
// its highest Seq (a trigger of the migration), and Changes (follow.go)
// tells a Service of them: that is how the replicas sharing a database
// keep their figures, tiles and live walls current.
//
// When the database cannot be reached, every call fails with an error
// wrapping incident.ErrUnavailable; the pool connects again by itself, the
// listener with backoff.
package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/internal/pgschema"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// connectTimeout bounds a connection attempt when the URL sets none: a
// write to a database that went away fails within it instead of hanging.
const connectTimeout = 5 * time.Second

var (
	_ incident.Store      = (*Store)(nil)
	_ incident.SeqCreator = (*Store)(nil)
	_ incident.Restorer   = (*Store)(nil)
	_ incident.Follower   = (*Store)(nil)
)

// Store is an incident.Store in a PostgreSQL database. It is safe for
// concurrent use, and several processes may open the same database.
type Store struct {
	pool *pgxpool.Pool
	// listen is the configuration of the listener's own connections
	// (follow.go).
	listen *pgx.ConnConfig
	// w runs the writes that take Seqs in batches (writer.go).
	w *writer
}

// Open connects to the database of dsn (postgres://…) and checks that its
// schema is the one this binary knows (pgschema.Check: run pgschema.Up,
// gridmap migrate up, first). The pool connects lazily: a database that
// goes away later only fails the calls made meanwhile.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open incident store: the database URL: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = pgschema.Schema + ", public"
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	if err := checkSchema(ctx, cfg.ConnConfig); err != nil {
		return nil, fmt.Errorf("open incident store: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open incident store: %w", err)
	}
	s := &Store{pool: pool, listen: cfg.ConnConfig.Copy()}
	s.w = newWriter(s)
	return s, nil
}

// checkSchema returns pgschema.Check's verdict on the database of cfg.
func checkSchema(ctx context.Context, cfg *pgx.ConnConfig) error {
	db := stdlib.OpenDB(*cfg.Copy())
	defer db.Close()
	if err := pgschema.Check(ctx, db); err != nil {
		return wrap(err)
	}
	return nil
}

// Close lets the writes queued finish and closes the pool's connections;
// calls after it fail.
func (s *Store) Close() error {
	s.w.close()
	s.pool.Close()
	return nil
}

// wrap marks err as incident.ErrUnavailable when it says that the
// database could not be reached or went away (connection refused or
// broken, server shutting down or starting); other errors pass.
func wrap(err error) error {
	if err == nil || errors.Is(err, incident.ErrUnavailable) || !unreachable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", incident.ErrUnavailable, err)
}

// unreachable reports whether err is a lost or refused connection rather
// than an answer of the database.
func unreachable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// class 08: connection exception; 57P01–57P03: admin or crash
		// shutdown, cannot connect now (starting up)
		return pe.Code[:2] == "08" || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, pgconn.ErrConnClosed) || pgconn.Timeout(err)
}
