package sqlitestore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/sqlitestore"
)

// TestReopenKeeps: a closed store opens again with what it held; writes
// after Close are refused.
func TestReopenKeeps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "incidents.db")
	s, err := sqlitestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Now()
	inc := incident.Incident{Status: incident.Reported, Source: "110", ExternalRef: "x", ReportedAt: now, UpdatedAt: now}
	got, _, err := s.Create(ctx, inc, incident.Transition{Action: incident.ActReport, To: incident.Reported, At: now}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Create(ctx, inc, incident.Transition{}, ""); err == nil {
		t.Fatal("Create after Close succeeded")
	}
	s, err = sqlitestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if again, _, err := s.Get(ctx, got.ID); err != nil || again.ExternalRef != "x" {
		t.Fatalf("after reopening: %+v, %v", again, err)
	}
}

// TestRefusesNewerSchema: a file of a newer schema is refused with an
// error that says so.
func TestRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "incidents.db")
	s, err := sqlitestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := sqlitestore.Open(path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open of a newer schema: %v", err)
	}
}

// TestOpenRefusesNonDatabase: a file that is not SQLite is an error, not
// a panic.
func TestOpenRefusesNonDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "incidents.db")
	if err := writeFile(path, strings.Repeat("not sqlite ", 1000)); err != nil {
		t.Fatal(err)
	}
	if s, err := sqlitestore.Open(path); err == nil {
		s.Close()
		t.Fatal("opened a file that is not a database")
	}
}
