package synth_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/staff"
	"github.com/gridmap/gridmap/synth"
)

// TestStaffCSV writes Jiangyin's 1+1+3 roster and reads it back: the
// contract's header, roles of staff.DefaultRoles, unique ids, a responsible
// person in most micro grids but not all (so dispatch escalates), and the
// same roster from the same seed.
func TestStaffCSV(t *testing.T) {
	d := jiangyin(t)
	var a, b bytes.Buffer
	n, err := synth.WriteStaffCSV(context.Background(), &a, d, synth.Jiangyin113, 5)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := synth.WriteStaffCSV(context.Background(), &b, d, synth.Jiangyin113, 5); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("seed 5 gave two rosters (%v)", err)
	}
	rows, err := csv.NewReader(&a).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], []string{"grid", "id", "name", "role", "phone"}) || len(rows) != n+1 {
		t.Fatalf("header %q, %d rows for %d people", rows[0], len(rows)-1, n)
	}
	ids := map[string]bool{}
	responsible := map[string]bool{} // micro grid codes with a part-time grid worker
	for i, r := range rows[1:] {
		if ids[r[1]] || !slices.Contains(staff.DefaultRoles.Names, r[3]) || r[2] == "" || len(r[4]) != 11 {
			t.Fatalf("row %d %q: repeated id, unknown role or bad name or phone", i+2, r)
		}
		ids[r[1]] = true
		if r[3] == "兼职网格员" {
			responsible[r[0]] = true
		}
	}
	micro := d.Layer("microgrids").Grids
	share := float64(len(responsible)) / float64(len(micro))
	t.Logf("%d people; %.3f of %d micro grids have a responsible person", n, share, len(micro))
	if share < 0.85 || share > 0.97 {
		t.Errorf("%.3f of micro grids have a responsible person, want 0.85..0.97", share)
	}
}

// TestStaffCSVJinjiang writes the Jinjiang plan's roster over Jinjiang's
// buildings and grids and reads it back as a roster: every building row
// is a building head (楼栋长 of staff.DefaultRoles), about half the
// buildings have one, nearly every grid a full-time grid worker, and
// every code is a grid of the data set.
func TestStaffCSVJinjiang(t *testing.T) {
	d := gridtest.LoadSet(t, "jinjiang", jinjiangLayers...)
	var buf bytes.Buffer
	n, err := synth.WriteStaffCSV(context.Background(), &buf, d, synth.Jinjiang, 18)
	if err != nil {
		t.Fatal(err)
	}
	ro, err := staff.ReadCSV(&buf, staff.DefaultRoles)
	if err != nil {
		t.Fatal(err)
	}
	known := func(code string) bool {
		for _, l := range d.Layers {
			if l.Grid(code) != nil {
				return true
			}
		}
		return false
	}
	if err := ro.CheckGrids(known); err != nil {
		t.Fatal(err)
	}
	buildings, grids := d.Layer("buildings"), d.Layer("grids")
	heads, workers := 0, 0
	for _, p := range ro.People {
		switch {
		case buildings.Grid(p.Grid) != nil:
			if p.Role != "楼栋长" {
				t.Fatalf("building %s has a %s", p.Grid, p.Role)
			}
			heads++
		case grids.Grid(p.Grid) != nil && p.Role == "专职网格员":
			workers++
		}
	}
	hs, ws := float64(heads)/float64(len(buildings.Grids)), float64(workers)/float64(len(grids.Grids))
	t.Logf("%d people: %d building heads (%.3f of buildings), %d full-time grid workers (%.3f of grids)", n, heads, hs, workers, ws)
	if hs < 0.45 || hs > 0.55 || ws < 0.9 {
		t.Errorf("%.3f of buildings have a head (want 0.45..0.55), %.3f of grids a full-time worker (want ≥ 0.9)", hs, ws)
	}
}
