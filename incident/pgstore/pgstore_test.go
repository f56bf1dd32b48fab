package pgstore_test

import (
	"context"
	"testing"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/pgstore"
	"github.com/gridmap/gridmap/incident/storetest"
	"github.com/gridmap/gridmap/internal/pgschema"
	"github.com/gridmap/gridmap/internal/pgtest"
	"github.com/jackc/pgx/v5"
)

var ctx = context.Background()

// migrated returns the DSN of a fresh database of t with gridmap's schema.
func migrated(t testing.TB, dsn string) string {
	t.Helper()
	db, err := pgschema.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := pgschema.Up(ctx, db); err != nil {
		t.Fatal(err)
	}
	return dsn
}

// open opens a store on dsn, closed when t ends.
func open(t testing.TB, dsn string) *pgstore.Store {
	t.Helper()
	s, err := pgstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// empty removes everything the incident store holds in the database of
// dsn and numbers from 1 again.
func empty(t testing.TB, dsn string) {
	t.Helper()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `TRUNCATE gridmap.staff, gridmap.rosters, gridmap.idempotency, gridmap.transitions,
		gridmap.incident_grids, gridmap.incidents RESTART IDENTITY; ALTER SEQUENCE gridmap.transition_seq RESTART`); err != nil {
		t.Fatal(err)
	}
}

// TestContract runs the incident.Store contract on a real PostgreSQL
// database, emptied before each test.
func TestContract(t *testing.T) {
	dsn := migrated(t, pgtest.NewDB(t))
	storetest.Run(t, func(t *testing.T) incident.Store {
		empty(t, dsn)
		return open(t, dsn)
	})
}
