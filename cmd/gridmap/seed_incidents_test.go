package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/sqlitestore"
	"github.com/gridmap/gridmap/version"
)

// TestSeedIncidents seeds a fresh store from the sample: a roster and
// sampleIncidents incidents of the last months, all located, some still
// open; a second call (the store not fresh) adds nothing.
func TestSeedIncidents(t *testing.T) {
	data, _ := importedSample(t)
	ctx := context.Background()
	snap, err := indexSnapshot(ctx, place{Data: data})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(filepath.Join(data, incidentsDB))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc, err := incident.New(ctx, incident.Options{Store: st, Current: func() *version.Snapshot { return snap }})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	start := time.Now()
	if err := seedIncidents(ctx, svc, snap, &out); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded in %v:\n%s", time.Since(start), out.String())
	if !strings.Contains(out.String(), fmt.Sprintf("seeded %d synthetic incidents", sampleIncidents)) || len(svc.Roster().People) == 0 {
		t.Fatalf("seed: %s", out.String())
	}
	open, _, err := svc.List(ctx, incident.Filter{Status: []incident.Status{incident.Reported, incident.Assessed, incident.Dispatched, incident.Handling}, Limit: incident.MaxLimit})
	if err != nil || len(open) == 0 {
		t.Fatalf("no open incidents among the seeded ones (%v)", err)
	}
	out.Reset()
	if err := seedIncidents(ctx, svc, snap, &out); err != nil || out.Len() != 0 {
		t.Fatalf("second seed: %v %q", err, out.String())
	}
}
