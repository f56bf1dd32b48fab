package index_test

import (
	"github.com/gridmap/gridmap/internal/gridtest"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
)

// randomInside returns n seeded random points inside the county (points of
// the bound outside every micro grid are skipped).
func randomInside(d *geo.Dataset, x *index.Index, n int) []orb.Point {
	ml := d.Layer("microgrids")
	li := d.LayerIndex("microgrids")
	b := ml.Bound()
	rng := gridtest.Rand(20261125)
	next := rng.Float64
	var out []orb.Point
	for len(out) < n {
		p := orb.Point{b.Min[0] + next()*(b.Max[0]-b.Min[0]), b.Min[1] + next()*(b.Max[1]-b.Min[1])}
		if x.Locate(li, p[0], p[1]) >= 0 {
			out = append(out, p)
		}
	}
	return out
}

// BenchmarkLookupChain is the finest layer plus the whole chain, with the
// cell index; BenchmarkLookupPlain is the plain approach on the same points:
// an R-tree over bounding boxes, then orb/planar's contains.
func BenchmarkLookupChain(b *testing.B) {
	d, x := jiangyin(b)
	lookupChains(b, x, randomInside(d, x, 1<<16))
}

// lookupChains times AppendChains on x over pts (a power of two of them),
// one point an operation.
func lookupChains(b *testing.B, x *index.Index, pts []orb.Point) {
	hits := make([]index.Hit, 0, 16)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := pts[i&(len(pts)-1)]
		hits = x.AppendChains(hits[:0], p[0], p[1])
	}
	if len(hits) == 0 {
		b.Fatal("no hit")
	}
}

// BenchmarkLookupChainMany is BenchmarkLookupChain through AppendChainsMany,
// 1,024 points per call; ns/op is per point.
func BenchmarkLookupChainMany(b *testing.B) {
	d, x := jiangyin(b)
	pts := randomInside(d, x, 1<<16)
	const per = 1024
	hits := make([]index.Hit, 0, 8*per)
	ends := make([]int, per)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += per {
		o := i & (len(pts) - 1)
		n := min(per, b.N-i, len(pts)-o)
		hits = x.AppendChainsMany(hits[:0], ends[:n], pts[o:o+n])
	}
	if len(hits) == 0 {
		b.Fatal("no hit")
	}
}

func BenchmarkLookupPlain(b *testing.B) {
	d, x := jiangyin(b)
	pts := randomInside(d, x, 1<<16)
	ml := d.Layer("microgrids")
	var tr rtree.RTreeG[*geo.Grid]
	for _, g := range ml.Grids {
		gb := g.Bound()
		tr.Insert(gb.Min, gb.Max, g)
	}
	b.ReportAllocs()
	b.ResetTimer()
	found := 0
	for i := 0; i < b.N; i++ {
		p := pts[i&(len(pts)-1)]
		tr.Search(p, p, func(_, _ [2]float64, g *geo.Grid) bool {
			if planar.MultiPolygonContains(g.Geom, p) {
				found++
				return false
			}
			return true
		})
	}
	if found == 0 {
		b.Fatal("no hit")
	}
}

func BenchmarkNewIndex(b *testing.B) {
	d, _ := jiangyin(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := index.NewIndex(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLocateFinest(b *testing.B) {
	d, x := jiangyin(b)
	pts := randomInside(d, x, 1<<16)
	li := d.LayerIndex("microgrids")
	b.ReportAllocs()
	b.ResetTimer()
	s := 0
	for i := 0; i < b.N; i++ {
		p := pts[i&(len(pts)-1)]
		s += x.Locate(li, p[0], p[1])
	}
	if s == 0 {
		b.Fatal()
	}
}
