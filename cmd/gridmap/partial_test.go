package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
)

// jinjiangFiles returns NAME=FILE arguments of Jinjiang's layers from
// county to grids, in dir.
func jinjiangFiles(dir string) []string {
	var out []string
	for _, n := range []string{"county", "towns", "villages", "grids"} {
		out = append(out, n+"="+filepath.Join(dir, n+".geojson"))
	}
	return out
}

// readCSV parses a CSV answer into its header and rows keyed by id.
func readCSV(t *testing.T, s string) (map[string]int, map[string][]string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("answer is no CSV (%v):\n%.500s", err, s)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	rows := map[string][]string{}
	for _, r := range recs[1:] {
		rows[r[0]] = r
	}
	return col, rows
}

// TestLookupJinjiang imports Jinjiang whole (buildings partial) and looks up
// its points.csv with gridmap lookup: inside, the row's building and its
// grid; gap, an empty building column and the grid's chain; outside,
// nothing. Then it makes compounds with gridmap synth compounds, imports
// the six layers (compounds and buildings partial), and checks that the
// compound column holds each building's compound and, between buildings,
// the compound of the yard or nothing.
func TestLookupJinjiang(t *testing.T) {
	dir := gridtest.NeedShared(t, "jinjiang")
	ptsCSV, err := os.ReadFile(filepath.Join(dir, "points.csv"))
	if err != nil {
		t.Fatal(err)
	}
	truth := map[string][]string{} // id → kind, owners
	_, pts := readCSV(t, string(ptsCSV))
	for id, r := range pts {
		truth[id] = r[3:]
	}
	data := t.TempDir()
	args := append([]string{"import", "--data", data, "--partial", "buildings"}, jinjiangFiles(dir)...)
	if code, out, errs := gm(t, "", append(args, "buildings="+filepath.Join(dir, "buildings.geojson"))...); code != 0 {
		t.Fatalf("import: %d\n%s\n%s", code, out, errs)
	}
	code, out, errs := gm(t, string(ptsCSV), "lookup", "--data", data, "-")
	if code != 0 {
		t.Fatalf("lookup: %d %s", code, errs)
	}
	col, rows := readCSV(t, out)
	if len(rows) != len(truth) {
		t.Fatalf("%d rows answered of %d", len(rows), len(truth))
	}
	for id, r := range rows {
		kind, owners := truth[id][0], truth[id][1]
		b, g, c := r[col["buildings"]], r[col["grids"]], r[col["county"]]
		switch {
		case kind == "inside" && (b == "" || !strings.Contains(owners, b) || !strings.HasPrefix(b, g)):
			t.Fatalf("row %s inside %s: building %q grid %q", id, owners, b, g)
		case kind == "gap" && (b != "" || g == "" || c == ""):
			t.Fatalf("row %s in a gap: building %q grid %q county %q", id, b, g, c)
		case kind == "outside" && strings.Join(r[3:], "") != "":
			t.Fatalf("row %s outside: %v", id, r)
		}
	}

	// nearest: a gap point gets the nearest building, its distance, and
	// its grid's chain; the single answer says so
	code, out, errs = gm(t, string(ptsCSV), "lookup", "--data", data, "--nearest", "40", "-")
	if code != 0 {
		t.Fatalf("lookup --nearest: %d %s", code, errs)
	}
	ncol, nrows := readCSV(t, out)
	given := 0
	for id, r := range nrows {
		kind, d, b := truth[id][0], r[ncol["distance_m"]], r[ncol["buildings"]]
		switch {
		case kind == "inside" && (d != "" || b != rows[id][col["buildings"]]):
			t.Fatalf("row %s inside, --nearest 40: %v", id, r)
		case kind == "gap" && d != "" && (b == "" || r[ncol["grids"]] != rows[id][col["grids"]]):
			t.Fatalf("row %s in a gap, --nearest 40: %v, without %v", id, r, rows[id])
		case kind == "gap" && d != "":
			given++
		}
	}
	if given == 0 {
		t.Fatal("no gap point given a building")
	}
	for id, r := range nrows {
		if truth[id][0] == "gap" && r[ncol["distance_m"]] != "" {
			code, out, _ := gm(t, "", "lookup", "--data", data, "--nearest", "40", r[1], r[2])
			if code != 0 || !strings.Contains(out, r[ncol["buildings"]]+" ") || !strings.Contains(out, "(nearest, "+r[ncol["distance_m"]]+" m)") {
				t.Fatalf("lookup --nearest 40 %s %s: %d\n%s", r[1], r[2], code, out)
			}
			break
		}
	}

	// compounds between the grids and the buildings
	cdir := t.TempDir()
	code, out, errs = gm(t, "", "synth", "compounds", "--grids", filepath.Join(dir, "grids.geojson"), "--buildings", filepath.Join(dir, "buildings.geojson"), "--out", cdir)
	if code != 0 || !strings.Contains(out, "compounds over 15414 buildings") {
		t.Fatalf("synth compounds: %d %s %s", code, out, errs)
	}
	args = append([]string{"import", "--data", data, "--partial", "compounds,buildings"}, jinjiangFiles(dir)...)
	args = append(args, "compounds="+filepath.Join(cdir, "compounds.geojson"), "buildings="+filepath.Join(cdir, "buildings.geojson"))
	if code, out, errs := gm(t, "", args...); code != 0 || !strings.Contains(out, "v2") {
		t.Fatalf("import six layers: %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = gm(t, string(ptsCSV), "lookup", "--data", data, "-")
	if code != 0 {
		t.Fatalf("lookup: %d %s", code, errs)
	}
	col, rows = readCSV(t, out)
	if got := strings.Join(strings.Split(strings.SplitN(out, "\n", 2)[0], ",")[3:], ","); got != "buildings,compounds,grids,villages,towns,county" {
		t.Fatalf("header %q", got)
	}
	yard, between := 0, 0
	for id, r := range rows {
		kind := truth[id][0]
		b, cp, g := r[col["buildings"]], r[col["compounds"]], r[col["grids"]]
		switch {
		case kind == "inside" && (b == "" || cp == "" || !strings.HasPrefix(cp, g) || len(cp) != len(g)+4):
			t.Fatalf("row %s inside: building %q compound %q grid %q", id, b, cp, g)
		case kind == "gap" && (b != "" || g == ""):
			t.Fatalf("row %s in a gap: building %q grid %q", id, b, g)
		case kind == "gap" && cp != "":
			yard++
		case kind == "gap":
			between++
		}
	}
	t.Logf("gap points: %d in a compound's yard, %d between compounds", yard, between)
	if yard == 0 || between == 0 {
		t.Fatal("gap points all in yards or all between compounds")
	}
}
