package sqlitestore_test

import (
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/sqlitestore"
	"github.com/gridmap/gridmap/incident/storetest"
)

// open opens a store in a new file of t's temporary dir.
func open(t *testing.T) *sqlitestore.Store {
	t.Helper()
	s, err := sqlitestore.Open(filepath.Join(t.TempDir(), "incidents.db"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestContract runs the incident.Store contract on a real file.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) incident.Store { return open(t) })
}
