package main

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/sqlitestore"
	"github.com/gridmap/gridmap/internal/pgtest"
)

// TestMigrateCopyIncidents moves a data directory with incidents and a
// roster (made by gridmap synth and imported by gridmap incidents import
// and gridmap staff import) into PostgreSQL and back into a new directory
// with gridmap migrate copy: every incident, every transition (ids and
// Seqs) and the roster come back the same, and gridmap staff list of the
// copy prints what the source's does.
func TestMigrateCopyIncidents(t *testing.T) {
	pg := pgtest.NewDB(t)
	src, back, dir := t.TempDir(), t.TempDir(), t.TempDir()
	paths, err := sampleFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var coarse []string // the grids and micro grids would take long under -race
	for _, p := range paths {
		if b := filepath.Base(p); strings.HasPrefix(b, "county") || strings.HasPrefix(b, "towns") || strings.HasPrefix(b, "villages") {
			coarse = append(coarse, p)
		}
	}
	incCSV, staffCSV := filepath.Join(dir, "incidents.csv"), filepath.Join(dir, "staff.csv")
	for _, args := range [][]string{
		append([]string{"import", "--data", src}, coarse...),
		{"synth", "incidents", "--data", src, "--n", "300", "--out", incCSV},
		{"incidents", "import", "--data", src, incCSV},
		{"synth", "staff", "--data", src, "--out", staffCSV},
		{"staff", "import", "--data", src, staffCSV},
		{"migrate", "copy", "--from", src, "--to", pg},
		{"migrate", "copy", "--from", pg, "--to", back},
	} {
		if code, out, errs := gm(t, "", args...); code != 0 {
			t.Fatalf("gridmap %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
		}
	}
	want, got := incidentContents(t, src), incidentContents(t, back)
	if len(want.incidents) != 300 || len(want.transitions) < 300 {
		t.Fatalf("the source holds %d incidents, %d transitions; want 300 and their histories", len(want.incidents), len(want.transitions))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after the round trip through PostgreSQL the incident store differs: %d incidents, %d transitions, rosters %v; want %d, %d, %v",
			len(got.incidents), len(got.transitions), got.rosters, len(want.incidents), len(want.transitions), want.rosters)
	}
	_, wantList, _ := gm(t, "", "staff", "list", "--data", src)
	if _, gotList, errs := gm(t, "", "staff", "list", "--data", back); gotList != wantList || !strings.Contains(wantList, "roster version r1") {
		t.Errorf("staff list of the copy:\n%s%s\nwant\n%s", gotList, errs, wantList)
	}
}

// storeContents is what an incident store holds, for comparing stores.
type storeContents struct {
	incidents   []incident.Incident
	transitions []incident.Transition
	rosters     []string
}

// incidentContents reads the incident store of data directory data.
func incidentContents(t *testing.T, data string) storeContents {
	t.Helper()
	ctx := context.Background()
	st, err := sqlitestore.Open(filepath.Join(data, incidentsDB))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var c storeContents
	if err := st.Scan(ctx, func(inc incident.Incident) error {
		c.incidents = append(c.incidents, inc)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for seq := uint64(0); ; {
		ts, err := st.Since(ctx, seq, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) == 0 {
			break
		}
		c.transitions = append(c.transitions, ts...)
		seq = ts[len(ts)-1].Seq
	}
	vs, err := st.Rosters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		c.rosters = append(c.rosters, v.ID)
	}
	return c
}
