package pgschema_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/internal/pgschema"
	"github.com/gridmap/gridmap/internal/pgtest"
)

// TestUpStatusCheck migrates a fresh database from several processes' worth
// of callers at once: one applies every migration, the others find nothing
// left, and Status and Check agree.
func TestUpStatusCheck(t *testing.T) {
	dsn := pgtest.NewDB(t)
	ctx := context.Background()
	db, err := pgschema.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := pgschema.Check(ctx, db); !errors.Is(err, pgschema.ErrBehind) {
		t.Fatalf("Check on a fresh database = %v, want ErrBehind", err)
	}
	st, err := pgschema.Status(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range st {
		if m.Applied {
			t.Errorf("fresh database: %d %s applied", m.Version, m.Name)
		}
	}
	var wg sync.WaitGroup
	applied := make([]int, 4)
	errs := make([]error, 4)
	for i := range applied {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := pgschema.Open(dsn)
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			res, err := pgschema.Up(ctx, db)
			applied[i], errs[i] = len(res), err
		}()
	}
	wg.Wait()
	total := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Up %d: %v", i, err)
		}
		total += applied[i]
	}
	if total != len(st) {
		t.Errorf("the concurrent Ups applied %d migrations in all, want each of the %d once", total, len(st))
	}
	if err := pgschema.Check(ctx, db); err != nil {
		t.Errorf("Check after Up: %v", err)
	}
	st, err = pgschema.Status(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range st {
		if !m.Applied || m.AppliedAt == "" {
			t.Errorf("after Up: %+v not applied", m)
		}
	}
	var postgis string
	if err := db.QueryRowContext(ctx, "SELECT postgis_lib_version()").Scan(&postgis); err != nil {
		t.Errorf("postgis after Up: %v", err)
	}
}
