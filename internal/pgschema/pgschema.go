// Package pgschema creates and migrates gridmap's schema in PostgreSQL:
// versioned SQL migrations (migrations/NNNNN_name.sql, embedded) applied by
// goose (github.com/pressly/goose/v3), its bookkeeping in
// gridmap.goose_db_version, concurrent migrators serialised by a
// PostgreSQL advisory lock. Everything gridmap keeps lives in the schema
// gridmap; PostGIS must be installable in the database (CREATE EXTENSION
// postgis), or installed by an administrator beforehand.
//
// The numbers are owned: 00001 the schema, 00002 the version store
// (store/pgstore), 00003 the incident store (incident/pgstore); later
// changes take the next free number and never edit an applied file.
package pgschema

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Schema is the PostgreSQL schema that holds gridmap's tables.
const Schema = "gridmap"

// versionTable is goose's table of applied migrations.
const versionTable = Schema + ".goose_db_version"

//go:embed migrations/*.sql
var files embed.FS

// ErrBehind is returned by Check when the database lacks migrations this
// binary needs (run gridmap migrate up).
var ErrBehind = errors.New("the database schema is behind this gridmap (run gridmap migrate up)")

// ErrAhead is returned by Check when the database holds migrations this
// binary does not know (a newer gridmap migrated it).
var ErrAhead = errors.New("the database schema is newer than this gridmap")

// Open returns a database/sql handle over pgx for dsn (postgres://…), for
// the migrations; the stores use pgx pools of their own.
func Open(dsn string) (*sql.DB, error) {
	cfg, err := stdlibConfig(dsn)
	if err != nil {
		return nil, err
	}
	return stdlib.OpenDB(*cfg), nil
}

// provider returns the goose provider of the embedded migrations over db.
func provider(ctx context.Context, db *sql.DB) (*goose.Provider, error) {
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+Schema); err != nil {
		return nil, fmt.Errorf("pgschema: create schema %s: %w", Schema, err)
	}
	sub, err := fs.Sub(files, "migrations")
	if err != nil {
		return nil, err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, db, sub,
		goose.WithTableName(versionTable),
		goose.WithSessionLocker(locker),
		goose.WithDisableGlobalRegistry(true))
}

// Applied is one migration applied by Up.
type Applied struct {
	Version  int64
	Name     string
	Duration string
}

// Up applies every migration not yet applied, in order, each in its own
// transaction; it returns those it applied (none when the schema is
// current). Several processes may call it at once: one migrates, the
// others wait for it and find nothing left.
func Up(ctx context.Context, db *sql.DB) ([]Applied, error) {
	p, err := provider(ctx, db)
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	out := make([]Applied, 0, len(res))
	for _, r := range res {
		out = append(out, Applied{Version: r.Source.Version, Name: nameOf(r.Source.Path), Duration: r.Duration.String()})
	}
	if err != nil {
		return out, fmt.Errorf("pgschema: migrate up: %w", err)
	}
	return out, nil
}

// Migration is the state of one migration.
type Migration struct {
	Version int64
	Name    string
	// Applied is false for a migration not yet applied.
	Applied bool
	// AppliedAt is when it was applied ("" when not).
	AppliedAt string
}

// Status lists every migration this binary knows and whether the
// database has it.
func Status(ctx context.Context, db *sql.DB) ([]Migration, error) {
	p, err := provider(ctx, db)
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("pgschema: status: %w", err)
	}
	out := make([]Migration, 0, len(st))
	for _, s := range st {
		m := Migration{Version: s.Source.Version, Name: nameOf(s.Source.Path), Applied: s.State == goose.StateApplied}
		if m.Applied {
			m.AppliedAt = s.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
		}
		out = append(out, m)
	}
	return out, nil
}

// Check returns nil when the database holds exactly this binary's
// migrations, else ErrBehind or ErrAhead wrapped with the versions.
func Check(ctx context.Context, db *sql.DB) error {
	p, err := provider(ctx, db)
	if err != nil {
		return err
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("pgschema: read the schema version: %w", err)
	}
	srcs := p.ListSources()
	want := srcs[len(srcs)-1].Version
	switch {
	case cur < want:
		return fmt.Errorf("%w: database at %d, this gridmap needs %d", ErrBehind, cur, want)
	case cur > want:
		return fmt.Errorf("%w: database at %d, this gridmap knows up to %d", ErrAhead, cur, want)
	}
	return nil
}

func nameOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}
