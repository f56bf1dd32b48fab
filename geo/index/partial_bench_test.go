package index_test

import (
	"fmt"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/paulmach/orb"
)

// coveredPoints returns n seeded random points of d's root bound that some
// layer of x covers (the district: in Jinjiang, most between buildings).
func coveredPoints(d *geo.Dataset, x *index.Index, n int) []orb.Point {
	b := d.Layers[0].Bound()
	rng := gridtest.Rand(20261207)
	var out []orb.Point
	hits := make([]index.Hit, 0, 8)
	for len(out) < n {
		p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		if hits = x.AppendChains(hits[:0], p[0], p[1]); len(hits) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// vertices counts the ring positions of every layer of d.
func vertices(d *geo.Dataset) int {
	n := 0
	for _, l := range d.Layers {
		n += l.Vertices()
	}
	return n
}

// sets returns Jiangyin's and Jinjiang's indexes by name, Jinjiang's only
// when the shared data is there.
func sets(b testing.TB) map[string][2]any {
	d, x := jiangyin(b)
	out := map[string][2]any{"jiangyin": {d, x}}
	if sharedData != "" {
		d, x := jinjiang(b)
		out["jinjiang"] = [2]any{d, x}
	}
	return out
}

// BenchmarkLookupPartial is the in-process lookup of Jiangyin (five layers
// that tile) beside Jinjiang's (buildings partial: 15,414 footprints with
// gaps between them) in the same run, each on 65,536 random points of its
// county: a single AppendQuery with the default boundary flags (the GET
// path) and AppendQueryMany, 1,024 points per call (the batch path); ns/op
// is per point. The index's bytes and bytes per vertex are reported too.
// Run with -count N: the two sets alternate within each count.
func BenchmarkLookupPartial(b *testing.B) {
	for _, name := range []string{"jiangyin", "jinjiang"} {
		s, ok := sets(b)[name]
		if !ok {
			continue
		}
		d, x := s[0].(*geo.Dataset), s[1].(*index.Index)
		pts := coveredPoints(d, x, 1<<16)
		report := func(b *testing.B) {
			b.ReportMetric(float64(x.Bytes()), "index-bytes")
			b.ReportMetric(float64(x.Bytes())/float64(vertices(d)), "bytes/vertex")
		}
		b.Run(name+"/single", func(b *testing.B) {
			hits := make([]index.Hit, 0, 16)
			q := &index.Query{}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				p := pts[i&(len(pts)-1)]
				hits = x.AppendQuery(hits[:0], p[0], p[1], q)
			}
			report(b)
		})
		b.Run(name+"/many", func(b *testing.B) {
			const per = 1024
			hits := make([]index.Hit, 0, 8*per)
			ends := make([]int, per)
			q := &index.Query{}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i += per {
				o := i & (len(pts) - 1)
				n := min(per, b.N-i, len(pts)-o)
				hits = x.AppendQueryMany(hits[:0], ends[:n], pts[o:o+n], q)
			}
			report(b)
		})
	}
}

// TestPartialIndexSize logs, per layer of Jiangyin and Jinjiang, the cell
// index statistics, and the index's bytes and bytes per vertex.
func TestPartialIndexSize(t *testing.T) {
	for name, s := range sets(t) {
		d, x := s[0].(*geo.Dataset), s[1].(*index.Index)
		for i, l := range d.Layers {
			t.Logf("%s %-10s %6d grids %8d vertices: %s", name, l.Name, len(l.Grids), l.Vertices(), x.StatsForTest(i))
		}
		t.Logf("%s: index %d bytes, %d vertices, %.1f bytes/vertex", name, x.Bytes(), vertices(d), float64(x.Bytes())/float64(vertices(d)))
	}
	_ = fmt.Sprint
}
