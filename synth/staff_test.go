package synth_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"testing"

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
