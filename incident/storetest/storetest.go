// Package storetest is the contract every incident.Store passes: Run
// exercises each method against a store that open makes empty, checking
// listings against a brute-force filter of the incidents stored. The
// embedded SQLite store runs it on a real file (incident/sqlitestore); a
// PostgreSQL store runs the same suite.
package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/gridmap/gridmap/incident"
)

// Run runs the contract suite; open returns a new, empty store (closed by
// the test through t.Cleanup or by Run).
func Run(t *testing.T, open func(t *testing.T) incident.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s incident.Store)
	}{
		{"CreateGet", testCreateGet},
		{"GetNotFound", testGetNotFound},
		{"Idempotency", testIdempotency},
		{"ConcurrentRetries", testConcurrentRetries},
		{"Apply", testApply},
		{"ApplyConflict", testApplyConflict},
		{"ApplyRelocates", testApplyRelocates},
		{"ListFilters", testListFilters},
		{"ListPages", testListPages},
		{"ListLimits", testListLimits},
		{"ListBadCursor", testListBadCursor},
		{"CreateMany", testCreateMany},
		{"Scan", testScan},
		{"Since", testSince},
		{"Rosters", testRosters},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tc.fn(t, s)
		})
	}
}

// ctx is the context of the suite's calls.
var ctx = context.Background()

// same fails t unless got and want encode to the same JSON (a store may
// give back times in another location, or an empty chain as nil).
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Fatalf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// create stores inc with a report transition and fails t on an error.
func create(t *testing.T, s incident.Store, inc incident.Incident, key string) (incident.Incident, bool) {
	t.Helper()
	got, created, err := s.Create(ctx, inc, report(inc), key)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return got, created
}

// report is the first transition of inc.
func report(inc incident.Incident) incident.Transition {
	return incident.Transition{Action: incident.ActReport, To: incident.Reported, At: inc.ReportedAt,
		Actor: incident.Actor{KeyID: "k1", Name: "hotline", Role: "reporter"}, Note: "received"}
}
