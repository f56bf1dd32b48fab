package index_test

import (
	"math"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/synth"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// jinjiangCompounds returns Jinjiang's six layers: county to grids, the
// compounds that synth.Compounds makes from clusters of the buildings, and
// the buildings under them, both partial.
func jinjiangCompounds(t *testing.T) *geo.Dataset {
	t.Helper()
	d5, _ := jinjiang(t)
	cs, bs, err := synth.Compounds(d5.Layer("grids").Grids, d5.Layer("buildings").Grids, synth.CompoundOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ls []*geo.Layer
	for _, name := range []string{"county", "towns", "villages", "grids"} {
		ls = append(ls, geo.NewLayer(name, d5.Layer(name).Grids))
	}
	compounds, buildings := geo.NewLayer("compounds", cs), geo.NewLayer("buildings", bs)
	compounds.Partial, buildings.Partial = true, true
	d, err := geo.NewDataset(append(ls, compounds, buildings))
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Layer("buildings").Parent; got != "compounds" {
		t.Fatalf("buildings' parent layer %q", got)
	}
	return d
}

// TestJinjiangCompoundPoints looks up, in the six-layer Jinjiang, a point
// inside every building, one in the yard of every compound, the truth
// points and seeded random points of the district, single and batched,
// against the brute force: building → compound → grid → … inside a
// building, compound → grid → … in a yard, grid → … between compounds.
// With nearest, a yard point gets the nearest building above its own
// compound's chain.
func TestJinjiangCompoundPoints(t *testing.T) {
	d := jinjiangCompounds(t)
	x, err := index.NewIndex(d)
	if err != nil {
		t.Fatal(err)
	}
	o := newOracle(d)
	var pts []orb.Point
	for _, b := range d.Layer("buildings").Grids {
		c, _ := planar.CentroidArea(b.Geom)
		pts = append(pts, c)
	}
	var yards []orb.Point
	for _, c := range d.Layer("compounds").Grids {
		b := c.Bound()
		if !b.ToPolygon().Equal(c.Geom[0]) {
			continue // the footprint of its one building: no yard
		}
		kx, ky := geo.MetresPerDegree(b.Min[1])
		yards = append(yards, orb.Point{b.Min[0] + 0.5/kx, b.Min[1] + 0.5/ky})
	}
	pts = append(pts, yards...)
	for _, p := range readPoints(t, gridtest.NeedShared(t, "jinjiang", "points.csv")) {
		pts = append(pts, orb.Point{p.lon, p.lat})
	}
	rng := gridtest.Rand(truthSeed)
	b := d.Layers[0].Bound()
	for range 20000 {
		pts = append(pts, orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])})
	}
	ends := make([]int, len(pts))
	many := x.AppendQueryMany(nil, ends, pts, nil)
	counts := map[string]int{}
	for i, p := range pts {
		got := hitCodes(x, x.AppendQuery(nil, p[0], p[1], nil))
		if m := hitCodes(x, many[prevEnd(ends, i):ends[i]]); !slices.Equal(m, got) {
			t.Fatalf("point %v: AppendQueryMany %v, AppendQuery %v", p, m, got)
		}
		want := o.chain(p)
		if !slices.Equal(got, want) && !(len(want) == 0 && len(got) > 0 && distanceM(d.Layer("county").Grids[0].Geom, p) < 0.01) {
			t.Fatalf("point %v: index %v, brute force %v", p, got, want)
		}
		first := "none"
		if len(got) > 0 {
			first = d.Layers[len(got)-1].Name
		}
		counts[first]++
	}
	t.Logf("%d points (%d buildings, %d yards) by first layer: %v", len(pts), len(d.Layer("buildings").Grids), len(yards), counts)
	for _, l := range []string{"buildings", "compounds", "grids", "none"} {
		if counts[l] == 0 {
			t.Errorf("no point answered from %s", l)
		}
	}
	// nearest from a yard: the building, then the yard's compound chain
	bl := d.LayerIndex("buildings")
	for _, p := range yards {
		hits := x.AppendQuery(nil, p[0], p[1], &index.Query{NearestM: 100})
		want, dist := o.nearest(bl, p, 100)
		if want == nil {
			t.Fatalf("yard point %v: no building within 100 m", p)
		}
		if len(hits) > 0 && x.Grid(hits[0]).Code != want.Code && math.Abs(float64(hits[0].DistanceM)-dist) > 1e-3 {
			t.Fatalf("yard point %v: nearest %s, brute force %s", p, x.Grid(hits[0]).Code, want.Code)
		}
		if len(hits) == 0 || int(hits[0].Layer) != bl || !hits[0].Nearest || !slices.Equal(hitCodes(x, hits[1:]), o.chain(p)) {
			t.Fatalf("yard point %v, nearest 100 m: %v", p, hitCodes(x, hits))
		}
	}
}
