package pgstore_test

import (
	"context"
	"testing"

	"github.com/gridmap/gridmap/internal/pgtest"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/store/pgstore"
	"github.com/gridmap/gridmap/store/storetest"
	"github.com/jackc/pgx/v5"
)

// open opens a store on the database dsn with a cache of its own, closed
// when t ends.
func open(t *testing.T, dsn string) *pgstore.Store {
	t.Helper()
	s, err := pgstore.Open(context.Background(), dsn, pgstore.Options{Cache: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// TestContract runs the shared contract of stores on the PostgreSQL store,
// each handle with its own cache directory (as each replica has). The
// cases share one database, emptied before each (creating a database
// takes a second).
func TestContract(t *testing.T) {
	dsn := pgtest.NewDB(t)
	open(t, dsn) // migrated
	storetest.Run(t, func(t *testing.T) func() store.Store {
		empty(t, dsn)
		return func() store.Store { return open(t, dsn) }
	})
}

// empty removes every version of the database dsn.
func empty(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "TRUNCATE gridmap.versions CASCADE"); err != nil {
		t.Fatal(err)
	}
}
