package sqlitestore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/sqlitestore"
)

// schema1 turns a file of the current schema back into schema 1 (the
// indexes of the first release), keeping its rows.
const schema1 = `
DROP INDEX incidents_overdue;
CREATE INDEX incidents_category ON incidents(category, reported_at, id);
CREATE INDEX incidents_source ON incidents(source, reported_at, id);
CREATE INDEX incidents_overdue ON incidents(overdue, reported_at, id);
CREATE INDEX incident_grids_incident ON incident_grids(incident_id);
CREATE INDEX incidents_point ON incidents(lon, lat);
PRAGMA user_version = 1;
`

// TestMigrateFromSchema1: a file of schema 1 holding incidents opens with
// the current schema, exactly that of a fresh file, and keeps every
// incident, listable by grid, category and overdue, and a relocated chain
// replaces its grid rows.
func TestMigrateFromSchema1(t *testing.T) {
	dir := t.TempDir()
	fresh, old := filepath.Join(dir, "fresh.db"), filepath.Join(dir, "old.db")
	ctx := context.Background()
	s, err := sqlitestore.Open(fresh)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlitestore.Open(old)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	chain := func(g string) []incident.Link {
		return []incident.Link{{Layer: "towns", Code: "T1"}, {Layer: "grids", Code: g}}
	}
	var ids []incident.ID
	for i, g := range []string{"G1", "G2", "G1"} {
		inc := incident.Incident{Status: incident.Reported, Source: "110", Category: []string{"a", "b", "a"}[i],
			ExternalRef: g + string(rune('a'+i)), ReportedAt: now.Add(time.Duration(i) * time.Second), UpdatedAt: now,
			Overdue: i == 1, Chain: chain(g)}
		got, _, err := s.Create(ctx, inc, incident.Transition{Action: incident.ActReport, To: incident.Reported, At: now}, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got.ID)
	}
	s.Close()
	runScript(t, old, schema1)
	if v := userVersion(t, old); v != 1 {
		t.Fatalf("downgraded file at schema %d", v)
	}

	s, err = sqlitestore.Open(old)
	if err != nil {
		t.Fatalf("open schema 1: %v", err)
	}
	defer s.Close()
	if v := userVersion(t, old); v != sqlitestore.SchemaVersion {
		t.Errorf("migrated file at schema %d, want %d", v, sqlitestore.SchemaVersion)
	}
	if a, b := schemaOf(t, fresh), schemaOf(t, old); !slices.Equal(a, b) {
		t.Errorf("migrated schema differs from a fresh one:\n%q\n%q", b, a)
	}
	yes := true
	for _, tt := range []struct {
		name string
		f    incident.Filter
		want []incident.ID
	}{
		{"grid", incident.Filter{Grid: "G1"}, []incident.ID{ids[2], ids[0]}},
		{"town", incident.Filter{Grid: "T1"}, []incident.ID{ids[2], ids[1], ids[0]}},
		{"category", incident.Filter{Category: []string{"b"}}, []incident.ID{ids[1]}},
		{"overdue", incident.Filter{Overdue: &yes}, []incident.ID{ids[1]}},
	} {
		if got := listIDs(t, s, tt.f); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}

	// relocate the first from G1 to G3: its old grid rows go
	inc, _, err := s.Get(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	after := inc
	after.Chain = chain("G3")
	after.UpdatedAt = now.Add(time.Minute)
	if _, err := s.Apply(ctx, inc, after, incident.Transition{Action: incident.ActRelocate, From: inc.Status, To: inc.Status, At: now}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		grid string
		want []incident.ID
	}{{"G1", []incident.ID{ids[2]}}, {"G3", []incident.ID{ids[0]}}, {"T1", []incident.ID{ids[2], ids[1], ids[0]}}} {
		if got := listIDs(t, s, incident.Filter{Grid: tt.grid}); !slices.Equal(got, tt.want) {
			t.Errorf("after relocating, grid %s: %v, want %v", tt.grid, got, tt.want)
		}
	}
}

// listIDs lists the ids of the incidents of f.
func listIDs(t *testing.T, s *sqlitestore.Store, f incident.Filter) []incident.ID {
	t.Helper()
	list, _, err := s.List(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	var out []incident.ID
	for _, inc := range list {
		out = append(out, inc.ID)
	}
	return out
}

// runScript runs script on the file at path.
func runScript(t *testing.T, path, script string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(script); err != nil {
		t.Fatal(err)
	}
}

// userVersion returns the schema version of the file at path.
func userVersion(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// schemaOf returns the file's tables and indexes as their SQL, sorted by
// name.
func schemaOf(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
