package index_test

import (
	"encoding/csv"
	"github.com/gridmap/gridmap/internal/gridtest"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

type truthPoint struct {
	id     string
	lon    float64
	lat    float64
	kind   string
	owners []string
}

func readPoints(t testing.TB, path string) []truthPoint {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []truthPoint
	for _, r := range rows[1:] {
		lon, _ := strconv.ParseFloat(r[1], 64)
		lat, _ := strconv.ParseFloat(r[2], 64)
		p := truthPoint{id: r[0], lon: lon, lat: lat, kind: r[3]}
		if r[4] != "" {
			p.owners = strings.Split(r[4], ";")
		}
		out = append(out, p)
	}
	return out
}

// distanceM is the distance in metres from p to the boundary of mp, with a
// local equirectangular approximation (enough for a 1 cm tolerance test).
func distanceM(mp orb.MultiPolygon, p orb.Point) float64 {
	kx := 111320 * math.Cos(p[1]*math.Pi/180)
	ky := 110574.0
	best := math.Inf(1)
	for _, poly := range mp {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				a, b := r[i], r[i+1]
				ax, ay := (a[0]-p[0])*kx, (a[1]-p[1])*ky
				bx, by := (b[0]-p[0])*kx, (b[1]-p[1])*ky
				dx, dy := bx-ax, by-ay
				tt := 0.0
				if l := dx*dx + dy*dy; l > 0 {
					tt = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
				}
				x, y := ax+tt*dx, ay+tt*dy
				best = math.Min(best, math.Hypot(x, y))
			}
		}
	}
	return best
}

// checkPoints runs every point of a truth file through the index: the
// answer at layer finest must be one of the owners (or, on edge and border
// points, a grid whose border is within 1 cm), and the chain above it must
// follow the parent links to the root.
func checkPoints(t *testing.T, d *geo.Dataset, x *index.Index, finest string, pts []truthPoint) {
	t.Helper()
	fl := d.Layer(finest)
	bad := 0
	for _, p := range pts {
		chain := x.Lookup(p.lon, p.lat)
		if len(p.owners) == 0 {
			if len(chain) != 0 && !(p.kind == "county_border" && distanceM(chain[0].Geom, orb.Point{p.lon, p.lat}) < 0.01) {
				t.Errorf("point %s (%s) %v,%v: want no grid, got %s", p.id, p.kind, p.lon, p.lat, chain[0].Code)
				bad++
			}
			continue
		}
		if len(chain) == 0 {
			t.Errorf("point %s (%s) %v,%v: want one of %v, got none", p.id, p.kind, p.lon, p.lat, p.owners)
			bad++
			continue
		}
		got := chain[0]
		if fl.Grid(got.Code) != got {
			t.Errorf("point %s: chain starts at %s, not in layer %s", p.id, got.Code, finest)
		}
		ok := false
		for _, o := range p.owners {
			ok = ok || o == got.Code
		}
		if !ok && (p.kind == "edge" || p.kind == "county_border") {
			ok = distanceM(got.Geom, orb.Point{p.lon, p.lat}) < 0.01
		}
		if !ok {
			t.Errorf("point %s (%s) %v,%v: want one of %v, got %s", p.id, p.kind, p.lon, p.lat, p.owners, got.Code)
			bad++
		}
		// chain follows parent links, one grid per layer up to the root
		for i := 1; i < len(chain); i++ {
			if chain[i].Code != chain[i-1].Parent {
				t.Errorf("point %s: chain[%d]=%s is not the parent %s of %s", p.id, i, chain[i].Code, chain[i-1].Parent, chain[i-1].Code)
			}
		}
		if want := d.Depth(finest) + 1; len(chain) != want {
			t.Errorf("point %s: chain has %d grids, want %d", p.id, len(chain), want)
		}
		if bad > 20 {
			t.Fatal("too many failures")
		}
	}
}

func TestJiangyinPoints(t *testing.T) {
	d, x := jiangyin(t)
	checkPoints(t, d, x, "microgrids", jiangyinPoints(t, d))
}

// TestOtherSetsPoints checks the truth points of the other shared data
// sets; without the shared data, it checks the bundled sample's coarser
// layers as the finest of a shorter tree, with points made from them.
func TestOtherSetsPoints(t *testing.T) {
	if sharedData == "" {
		testSampleSubsets(t)
		return
	}
	for _, tc := range []struct {
		set    string
		layers []string
		finest string
	}{
		{"baiteng", []string{"street", "communities", "grids"}, "grids"},
		{"xiadian", []string{"town", "areas", "villages", "groups"}, "groups"},
		{"doumen", []string{"county", "towns", "grids"}, "grids"},
		{"nanchangxian", []string{"county", "towns", "villages", "grids"}, "grids"},
	} {
		t.Run(tc.set, func(t *testing.T) {
			if _, err := os.Stat(filepath.Join(sharedData, tc.set)); err != nil {
				t.Skip("no shared data")
			}
			d := loadSet(t, tc.set, tc.layers...)
			x, err := index.NewIndex(d)
			if err != nil {
				t.Fatal(err)
			}
			checkPoints(t, d, x, tc.finest, readPoints(t, filepath.Join(sharedData, tc.set, "points.csv")))
		})
	}
}

// testSampleSubsets is TestOtherSetsPoints over the bundled sample: the
// county down to the grids, and down to the villages.
func testSampleSubsets(t *testing.T) {
	jy, _ := jiangyin(t)
	for _, finest := range []string{"grids", "villages"} {
		t.Run("sample/"+finest, func(t *testing.T) {
			var ls []*geo.Layer
			for _, l := range jy.Layers[:jy.LayerIndex(finest)+1] {
				ls = append(ls, geo.NewLayer(l.Name, l.Grids))
			}
			d, err := geo.NewDataset(ls)
			if err != nil {
				t.Fatal(err)
			}
			x, err := index.NewIndex(d)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("truth points made from the bundled sample, seed %d", truthSeed)
			checkPoints(t, d, x, finest, sampleTruth(d, finest, truthSeed))
		})
	}
}

// TestIndexMatchesContains checks the cell index against the plain semi-open
// test over every grid, and the closed-polygon cover from orb/planar, for
// random points in the county.
func TestIndexMatchesContains(t *testing.T) {
	d, x := jiangyin(t)
	ml := d.Layer("microgrids")
	li := -1
	for i, l := range d.Layers {
		if l == ml {
			li = i
		}
	}
	b := ml.Bound()
	rng := gridtest.Rand(20261125)
	next := rng.Float64
	bounds := make([]orb.Bound, len(ml.Grids))
	for gi, g := range ml.Grids {
		bounds[gi] = g.Bound()
	}
	for i := 0; i < 20000; i++ {
		p := orb.Point{b.Min[0] + next()*(b.Max[0]-b.Min[0]), b.Min[1] + next()*(b.Max[1]-b.Min[1])}
		want := -1
		for gi, g := range ml.Grids {
			if bounds[gi].Contains(p) && geo.Contains(g.Geom, p) {
				if want >= 0 {
					t.Fatalf("point %v owned by %s and %s", p, ml.Grids[want].Code, g.Code)
				}
				want = gi
			}
		}
		got := x.Locate(li, p[0], p[1])
		if got != want {
			t.Fatalf("seed 20261125 point %d %v: index says %d, contains says %d", i, p, got, want)
		}
		if got >= 0 && !planar.MultiPolygonContains(ml.Grids[got].Geom, p) {
			t.Fatalf("point %v: owner %s does not cover it", p, ml.Grids[got].Code)
		}
	}
}
