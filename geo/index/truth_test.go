package index_test

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
)

// truthSeed seeds the truth points made from the bundled sample.
const truthSeed = 20261206

// jiangyinPoints returns the Jiangyin truth points: the shared data's
// points.csv (owners from PostGIS) when it is there, else points made from
// d (sampleTruth), whose owners orb/planar and exact vertex and segment
// matches decide, not the semi-open rule under test.
func jiangyinPoints(t testing.TB, d *geo.Dataset) []truthPoint {
	t.Helper()
	if sharedData != "" {
		return readPoints(t, filepath.Join(sharedData, "jiangyin", "points.csv"))
	}
	t.Logf("no shared data: truth points made from the bundled sample, seed %d", truthSeed)
	return sampleTruth(d, d.Leaves()[0].Name, truthSeed)
}

// sampleTruth returns truth points over the layer finest of d, of the kinds
// of the shared points.csv: inside (more than 2 m from any border, one
// owner), vertex and edge (a vertex or the midpoint of an inner segment of
// a grid: owners are the grids that have it, and those that cover it),
// county_border (a vertex of the root's outline, or the midpoint of a
// segment of the layer's outer border, which may lie a hair outside) and
// outside (no grid of d covers it, within
// 3 km of the bound).
func sampleTruth(d *geo.Dataset, finest string, seed uint64) []truthPoint {
	l := d.Layer(finest)
	tr := gridTree(l)
	rng := gridtest.Rand(seed)
	var out []truthPoint
	add := func(kind string, p orb.Point, owners []string) {
		out = append(out, truthPoint{id: kind + "-" + strconv.Itoa(len(out)), lon: p[0], lat: p[1], kind: kind, owners: owners})
	}
	b := l.Bound()
	for n := 0; n < 4000; {
		p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		if o := covering(tr, p); len(o) == 1 && geo.DistanceToBoundary(l.Grid(o[0]).Geom, p) > 2 {
			add("inside", p, o)
			n++
		}
	}
	for n := 0; n < 400; n++ {
		g := l.Grids[int(rng.Float64()*float64(len(l.Grids)))]
		r := g.Geom[0][0]
		i := int(rng.Float64() * float64(len(r)-1))
		add("vertex", r[i], covering(tr, r[i]))
		m := orb.Point{(r[i][0] + r[i+1][0]) / 2, (r[i][1] + r[i+1][1]) / 2}
		if on := withSegment(tr, r[i], r[i+1]); len(on) > 1 {
			add("edge", m, append(covering(tr, m), on...))
		} else {
			// a segment of the outer border: its computed midpoint may
			// lie a hair outside
			add("county_border", m, covering(tr, m))
		}
	}
	root := d.Layers[0]
	for _, g := range root.Grids {
		for _, r := range g.Geom[0][:1] {
			for i := 0; i < len(r)-1; i += max(1, len(r)/100) {
				add("county_border", r[i], covering(tr, r[i]))
			}
		}
	}
	rb := root.Bound()
	kx, ky := geo.MetresPerDegree(rb.Center()[1])
	dx, dy := 3000/kx, 3000/ky
	for n := 0; n < 400; {
		p := orb.Point{rb.Min[0] - dx + rng.Float64()*(rb.Max[0]-rb.Min[0]+2*dx), rb.Min[1] - dy + rng.Float64()*(rb.Max[1]-rb.Min[1]+2*dy)}
		if !coveredByAny(d, p) {
			add("outside", p, nil)
			n++
		}
	}
	return out
}

// gridTree returns an R-tree over the bounds of l's grids.
func gridTree(l *geo.Layer) *rtree.RTreeG[*geo.Grid] {
	var tr rtree.RTreeG[*geo.Grid]
	for _, g := range l.Grids {
		b := g.Bound()
		tr.Insert(b.Min, b.Max, g)
	}
	return &tr
}

// covering returns the codes of the grids in tr whose closed polygon covers
// p, by orb/planar (a point on an outer edge is covered) or by a vertex of
// theirs at p.
func covering(tr *rtree.RTreeG[*geo.Grid], p orb.Point) []string {
	var out []string
	tr.Search(p, p, func(_, _ [2]float64, g *geo.Grid) bool {
		if planar.MultiPolygonContains(g.Geom, p) || hasVertex(g.Geom, p) {
			out = append(out, g.Code)
		}
		return true
	})
	return out
}

// withSegment returns the codes of the grids in tr with a ring segment a–b,
// either way round.
func withSegment(tr *rtree.RTreeG[*geo.Grid], a, b orb.Point) []string {
	var out []string
	tr.Search(a, a, func(_, _ [2]float64, g *geo.Grid) bool {
		for _, poly := range g.Geom {
			for _, r := range poly {
				for i := 0; i+1 < len(r); i++ {
					if r[i] == a && r[i+1] == b || r[i] == b && r[i+1] == a {
						out = append(out, g.Code)
						return true
					}
				}
			}
		}
		return true
	})
	return out
}

// hasVertex reports whether p is a vertex of mp.
func hasVertex(mp orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range mp {
		for _, r := range poly {
			for _, v := range r {
				if v == p {
					return true
				}
			}
		}
	}
	return false
}

// coveredByAny reports whether a grid of any layer of d covers p.
func coveredByAny(d *geo.Dataset, p orb.Point) bool {
	for _, l := range d.Layers {
		for _, g := range l.Grids {
			if g.Bound().Contains(p) && (planar.MultiPolygonContains(g.Geom, p) || geo.DistanceToBoundary(g.Geom, p) < 0.01) {
				return true
			}
		}
	}
	return false
}
