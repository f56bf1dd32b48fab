package incident_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/sqlitestore"
	"github.com/gridmap/gridmap/incident/storetest"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/synth"
	"github.com/gridmap/gridmap/version"
)

// jiangyinService is a service over a real SQLite store holding n
// synthetic incidents of the bundled Jiangyin data, imported through
// ImportCSV (so located by the service), and the version served.
func jiangyinService(t testing.TB, n int) (*incident.Service, *sqlitestore.Store, *version.Snapshot) {
	t.Helper()
	end := time.Date(2026, 1, 1, 0, 0, 0, 0, synth.China)
	svc, st, snap := jiangyinOver(t, filepath.Join(t.TempDir(), "incidents.db"), end)
	g, err := synth.NewIncidents(snap.Data, synth.IncidentOptions{Seed: 17, N: n, To: end})
	if err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	if _, err := synth.WriteIncidentsCSV(context.Background(), &csv, g); err != nil {
		t.Fatal(err)
	}
	res, err := svc.ImportCSV(context.Background(), &csv, incident.System)
	if err != nil || res.Stored != n {
		t.Fatalf("import: %+v, %v", res, err)
	}
	return svc, st, snap
}

// jiangyinOver is a service over the SQLite store at path (made when
// missing) serving the Jiangyin data, its clock stopped at now.
func jiangyinOver(t testing.TB, path string, now time.Time) (*incident.Service, *sqlitestore.Store, *version.Snapshot) {
	t.Helper()
	d := gridtest.JiangyinSet(t, synth.LayerNames...)
	snap, err := version.Build(version.Manifest{ID: "1"}, d, version.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc, err := incident.New(context.Background(), incident.Options{Store: st, Current: func() *version.Snapshot { return snap },
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return svc, st, snap
}

// around is the box of half-width m metres around (lon, lat), WGS84.
func around(lon, lat, m float64) [4]float64 {
	kx, ky := geo.MetresPerDegree(lat)
	return [4]float64{lon - m/kx, lat - m/ky, lon + m/kx, lat + m/ky}
}

// bound is the bounding box of a grid, WGS84.
func bound(g *geo.Grid) [4]float64 {
	b := g.Bound()
	return [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
}

// TestListBBox: a bbox listing by the served version's grids gives
// exactly the incidents whose point is in the box (a brute-force filter
// of every stored one), newest first, page after page, for boxes of every
// size, and walks the grids of the layer the box needs.
func TestListBBox(t *testing.T) {
	ctx := context.Background()
	svc, st, snap := jiangyinService(t, 3000)
	county := snap.Data.Layer("county").Grids[0]
	cb := county.Bound()
	// a report 120 m north of the county's northmost point: in no grid,
	// located by the nearest fallback (DefaultNearestM)
	var north [2]float64
	for _, p := range county.Geom[0][0] {
		if p[1] > north[1] {
			north = [2]float64{p[0], p[1]}
		}
	}
	_, ky := geo.MetresPerDegree(north[1])
	out, _, err := svc.Report(ctx, incident.NewIncident{Lon: north[0], Lat: north[1] + 120/ky, Category: "其他", Source: "12345",
		OccurredAt: time.Date(2025, 12, 31, 8, 0, 0, 0, time.UTC)}, incident.System, "")
	if err != nil || !out.Chain[0].Nearest {
		t.Fatalf("outside report: %+v, %v", out.Chain, err)
	}
	var all []incident.Incident
	if err := st.Scan(ctx, func(inc incident.Incident) error { all = append(all, inc); return nil }); err != nil {
		t.Fatal(err)
	}
	some := all[len(all)/2]
	micro := snap.Data.Layer("microgrids").Grid(some.Chain[0].Code)
	town := snap.Data.Layer("towns").Grids[3]
	tests := []struct {
		name  string
		box   [4]float64
		layer string // of the codes walked; "": the time walk (cheaper)
	}{
		{"point", [4]float64{some.Lon, some.Lat, some.Lon, some.Lat}, "microgrids"},
		{"100 m", around(some.Lon, some.Lat, 50), "microgrids"},
		{"micro grid", bound(micro), "microgrids"},
		{"town", bound(town), ""},
		{"county", [4]float64{cb.Min[0], cb.Min[1], cb.Max[0], cb.Max[1]}, ""},
		{"empty, in the Yangtze 5 km north", around(north[0], north[1]+5000/ky, 1000), "county"},
		{"across the county border", around(north[0], north[1], 1500), "villages"},
		{"nearest-located outside", around(out.Lon, out.Lat, 10), "microgrids"},
		{"the world", [4]float64{-180, -90, 180, 90}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			codes, ok := svc.BBoxGrids(tt.box, incident.DefaultLimit)
			if ok != (tt.layer != "") || len(codes) > incident.BBoxGrids {
				t.Fatalf("%d codes, ok %v; want the layer %q", len(codes), ok, tt.layer)
			}
			for _, c := range codes {
				if snap.Data.Layer(tt.layer).Grid(c) == nil {
					t.Fatalf("code %s walked, want codes of %s", c, tt.layer)
				}
			}
			want := storetest.Expected(incident.Filter{BBox: &tt.box}, all)
			if tt.name == "nearest-located outside" && !slices.Contains(want, out.ID) {
				t.Fatalf("the outside incident %d is not in the box", out.ID)
			}
			for _, limit := range []int{7, incident.MaxLimit} {
				if got := listAll(t, svc, incident.Filter{BBox: &tt.box, Limit: limit}); !slices.Equal(got, want) {
					t.Fatalf("limit %d: %d incidents %v\nwant %d %v", limit, len(got), got, len(want), want)
				}
			}
			t.Logf("%d incidents, %d codes", len(want), len(codes))
		})
	}
}

// listAll lists f page by page through svc.
func listAll(t *testing.T, svc *incident.Service, f incident.Filter) []incident.ID {
	t.Helper()
	var out []incident.ID
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("cursors do not end")
		}
		list, next, err := svc.List(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, inc := range list {
			out = append(out, inc.ID)
		}
		if next == "" {
			return out
		}
		f.Cursor = next
	}
}

// TestListBBoxUntiled: where a layer leaves part of its parent to no grid
// (a town without grids, as a partial layer leaves the streets between
// buildings), a box there walks the parent's code, not the finer layer's
// (none): the incident located to the town alone is listed.
func TestListBBoxUntiled(t *testing.T) {
	f := newFixture(t, nil)
	f.snap.Store(stripes(t,
		geo.NewLayer("county", []*geo.Grid{stripe("C", "", 120, 122)}),
		geo.NewLayer("towns", []*geo.Grid{stripe("T1", "C", 120, 121), stripe("T2", "C", 121, 122)}),
		geo.NewLayer("grids", []*geo.Grid{stripe("G11", "T1", 120, 120.5), stripe("G12", "T1", 120.5, 121)}), // T2 has none
	))
	ctx := context.Background()
	var in []incident.ID
	for _, p := range [][2]float64{{121.5, 31.5}, {120.25, 31.5}, {121.5, 31.5001}} {
		inc, _, err := f.svc.Report(ctx, incident.NewIncident{Lon: p[0], Lat: p[1], Category: "其他", Source: "12345"}, incident.System, "")
		if err != nil {
			t.Fatal(err)
		}
		if p[0] > 121 {
			in = append([]incident.ID{inc.ID}, in...)
		}
	}
	box := around(121.5, 31.5, 50)
	if codes, ok := f.svc.BBoxGrids(box, 1); !ok || !slices.Equal(codes, []string{"T2"}) {
		t.Fatalf("codes %v, ok %v; want [T2]", codes, ok)
	}
	if got := listAll(t, f.svc, incident.Filter{BBox: &box, Limit: 1}); !slices.Equal(got, in) {
		t.Fatalf("got %v, want %v", got, in)
	}
}

// TestBBoxGridsForest: a version of two unrelated layers (no layer holds
// every incident's chain) lists a bbox by the time walk.
func TestBBoxGridsForest(t *testing.T) {
	f := newFixture(t, nil)
	f.snap.Store(stripes(t,
		geo.NewLayer("west", []*geo.Grid{stripe("W", "", 120, 121)}),
		geo.NewLayer("east", []*geo.Grid{stripe("E", "", 121, 122)}),
	))
	if codes, ok := f.svc.BBoxGrids(around(121.5, 31.5, 50), 10); ok {
		t.Fatalf("codes %v; want the time walk", codes)
	}
	inc, _, err := f.svc.Report(context.Background(), incident.NewIncident{Lon: 121.5, Lat: 31.5, Category: "其他", Source: "12345"}, incident.System, "")
	if err != nil {
		t.Fatal(err)
	}
	b := around(121.5, 31.5, 50)
	if got := listAll(t, f.svc, incident.Filter{BBox: &b}); !slices.Equal(got, []incident.ID{inc.ID}) {
		t.Fatalf("got %v, want [%d]", got, inc.ID)
	}
}

// TestListBBoxGap: a point in a gap the tiling leaves stays with the grid
// around it; a box holding only that point walks that grid's code (the
// children do not tile it) and lists it.
func TestListBBoxGap(t *testing.T) {
	f := newFixture(t, nil)
	f.snap.Store(stripes(t,
		geo.NewLayer("towns", []*geo.Grid{stripe("T1", "", 120, 121)}),
		// a gap 1e-7° (1 cm) wide: 1,100 m², 1.1e-7 of T1
		geo.NewLayer("grids", []*geo.Grid{stripe("G11", "T1", 120, 120.4999999), stripe("G12", "T1", 120.5, 121)}),
	))
	inc, _, err := f.svc.Report(context.Background(), incident.NewIncident{Lon: 120.49999995, Lat: 31.5, Category: "其他", Source: "12345"}, incident.System, "")
	if err != nil || inc.Chain[0].Code != "T1" {
		t.Fatalf("%+v, %v; want T1", inc.Chain, err)
	}
	b := [4]float64{inc.Lon, inc.Lat, inc.Lon, inc.Lat}
	if codes, ok := f.svc.BBoxGrids(b, 10); !ok || !slices.Equal(codes, []string{"T1"}) {
		t.Fatalf("codes %v, ok %v; want [T1]", codes, ok)
	}
	if got := listAll(t, f.svc, incident.Filter{BBox: &b}); !slices.Equal(got, []incident.ID{inc.ID}) {
		t.Fatalf("got %v, want [%d]", got, inc.ID)
	}
}

// TestListBBoxConcurrent: bbox listings from many goroutines while the
// served version changes build each version's grid bounds once and stay
// right (run with -race).
func TestListBBoxConcurrent(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	inc, _, err := f.svc.Report(ctx, incident.NewIncident{Lon: 120.25, Lat: 31.5, Category: "其他", Source: "12345"}, incident.System, "")
	if err != nil {
		t.Fatal(err)
	}
	b := around(120.25, 31.5, 50)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				list, _, err := f.svc.List(ctx, incident.Filter{BBox: &b})
				if err == nil && (len(list) != 1 || list[0].ID != inc.ID) {
					err = fmt.Errorf("listed %d incidents", len(list))
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 20 {
		f.snap.Store(tinySnapshot(t, fmt.Sprint(i+2), 120.5))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// stripe is grid code (parent parent) over [x0, x1] × [31, 32], WGS84.
func stripe(code, parent string, x0, x1 float64) *geo.Grid {
	return &geo.Grid{Code: code, Parent: parent, Name: code, Props: map[string]any{}, Geom: box(x0, 31, x1, 32)}
}

// stripes is version "2" of layers.
func stripes(t *testing.T, layers ...*geo.Layer) *version.Snapshot {
	t.Helper()
	d, err := geo.NewDataset(layers)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := version.Build(version.Manifest{ID: "2"}, d, version.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}
