package pgstore_test

import (
	"context"
	"testing"

	"github.com/gridmap/gridmap/internal/pgtest"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/store/pgstore"
	"github.com/gridmap/gridmap/store/storetest"
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
// each handle with its own cache directory (as each replica has).
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func() store.Store {
		dsn := pgtest.NewDB(t)
		return func() store.Store { return open(t, dsn) }
	})
}
