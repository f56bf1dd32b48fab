// Package pgstore is the PostgreSQL store of versions (store.Store), shared
// by every replica of a deployment: versions, their layers and grids (PostGIS
// geometry, for QGIS and SQL), the active pointer and the published files of
// each version live in the schema gridmap (internal/pgschema, migration
// 00002_versions.sql). It is read when a process starts or refreshes, never
// on the lookup or tile path: a snapshot is built in memory from Load, and a
// published file is downloaded once into a local cache directory, where it
// is memory-mapped (version.Files).
//
// Publish is one transaction: the version's dataset (store's layers
// encoding, in chunks), its layers, its grids, its manifest and, when asked,
// the active pointer. Publishes and restores are serialised by a
// transaction advisory lock, so that ids are the next after the highest,
// with no gap, whichever process publishes. Activate notifies the channel
// gridmap_active inside its transaction, and a publish that does not
// activate and the write of a published file notify gridmap_published;
// Changes listens on both (store.Notifier).
//
// Open applies the schema migrations the database lacks (pgschema.Up,
// which several replicas may run at once) unless Options.NoMigrate is set,
// when it checks them and refuses a database that is behind or ahead.
package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gridmap/gridmap/internal/dsn"
	"github.com/gridmap/gridmap/internal/pgschema"
	"github.com/gridmap/gridmap/store"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Channel is the LISTEN/NOTIFY channel of activations; the payload is the
// id of the version made active.
const Channel = "gridmap_active"

// PublishedChannel is the LISTEN/NOTIFY channel of what is stored before
// an activation: the payload is the id of a version published without
// being made active ("v7"), or a version's id and the name of a published
// file written ("v7/index.bin"). Replicas build such a version ahead, so
// that its activation is a swap.
const PublishedChannel = "gridmap_published"

// lockVersions is the key of the transaction advisory lock that serialises
// publishes and restores ("gridvers").
const lockVersions = 0x6772696476657273

// readyTimeout bounds Ready's ping: a probe answers quickly either way.
const readyTimeout = 2 * time.Second

// Options configure Open.
type Options struct {
	// Cache is the local directory that holds copies of published files
	// (a replica's data directory; they go in CACHE/pgstore/vN/NAME).
	// Required for FilePath and WriteFile.
	Cache string
	// NoMigrate makes Open check the schema (pgschema.Check) instead of
	// migrating it, for a role that may not change it: a database behind
	// or ahead of this binary is refused.
	NoMigrate bool
	// Log receives what the store does on its own (reconnections of
	// Changes); default discards it. The database's password is never
	// logged.
	Log *log.Logger
}

// Store is the PostgreSQL store. It is safe for concurrent use, and for use
// by many processes on one database.
type Store struct {
	pool  *pgxpool.Pool
	url   string          // the database URL, to mask in errors
	conn  *pgx.ConnConfig // for the dedicated LISTEN connection
	cache string
	log   *log.Logger
	now   func() time.Time
	// listenPID is the backend of the LISTEN connection while it is
	// connected (0 otherwise): what names this replica to an importer
	// awaiting it (prepared.go).
	listenPID atomic.Uint32
}

// Open connects to the database of dbURL (postgres://USER:PASSWORD@HOST:PORT/DB),
// migrates or checks its schema (Options.NoMigrate) and returns the store.
// Close it when done.
func Open(ctx context.Context, dbURL string, o Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, fmt.Errorf("pgstore: the database URL: %w", dsn.Err(err, dbURL))
	}
	if o.Log == nil {
		o.Log = log.New(io.Discard, "", 0)
	}
	if err := migrate(ctx, dbURL, o.NoMigrate); err != nil {
		return nil, fmt.Errorf("pgstore: %w", dsn.Err(err, dbURL))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: connect: %w", dsn.Err(err, dbURL))
	}
	if o.Cache != "" {
		if err := os.MkdirAll(o.Cache, 0o755); err != nil {
			pool.Close()
			return nil, fmt.Errorf("pgstore: cache directory: %w", err)
		}
		sweepCache(o.Cache, time.Now())
	}
	return &Store{pool: pool, url: dbURL, conn: cfg.ConnConfig, cache: o.Cache, log: o.Log, now: time.Now}, nil
}

// migrate applies the missing migrations, or with check only checks them.
func migrate(ctx context.Context, dbURL string, check bool) error {
	db, err := pgschema.Open(dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if check {
		return pgschema.Check(ctx, db)
	}
	_, err = pgschema.Up(ctx, db)
	return err
}

// Close closes the store's connections.
func (s *Store) Close() { s.pool.Close() }

// Ready implements store.Store: the database answers a ping within
// readyTimeout, else the error matches store.ErrUnreachable. Its message
// names neither host, user nor database: a readiness answer shows it to
// clients.
func (s *Store) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	err := s.pool.Ping(ctx)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: the PostgreSQL store did not answer within %s", store.ErrUnreachable, readyTimeout)
	default:
		return fmt.Errorf("%w: the PostgreSQL store cannot be reached", store.ErrUnreachable)
	}
}

// num returns the number of version id, or an error matching
// store.ErrBadID.
func num(id string) (int32, error) {
	if err := store.CheckID(id); err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(id[1:], 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%w: %q (number out of range)", store.ErrBadID, id)
	}
	return int32(n), nil
}

// idOf is the id of version number n.
func idOf(n int32) string { return "v" + strconv.Itoa(int(n)) }

// clean is err with the database's password masked in its message.
func (s *Store) clean(err error) error { return dsn.Err(err, s.url) }

// errNoRows reports whether err is "no rows".
func errNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
