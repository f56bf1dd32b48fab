package main

import (
	"context"
	"testing"

	"github.com/gridmap/gridmap/config"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/pgstore"
	"github.com/gridmap/gridmap/incident/sqlitestore"
	"github.com/gridmap/gridmap/internal/pgtest"
)

// TestOpenIncidentStore: a data directory gives the SQLite store, a
// postgres:// store the PostgreSQL one, on a schema brought up to date
// (twice: the second finds nothing to do).
func TestOpenIncidentStore(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDB(t)
	for _, tc := range []struct {
		name, store string
		want        func(incident.Store) bool
	}{
		{"embedded", "", func(s incident.Store) bool { _, ok := s.(*sqlitestore.Store); return ok }},
		{"postgres", dsn, func(s incident.Store) bool { _, ok := s.(*pgstore.Store); return ok }},
		{"postgres again", dsn, func(s incident.Store) bool { _, ok := s.(*pgstore.Store); return ok }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := openIncidentStore(ctx, &config.Config{Data: t.TempDir(), Store: tc.store})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if !tc.want(st) {
				t.Fatalf("store %T", st)
			}
			if _, err := st.Rosters(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}
