package index_test

import (
	"fmt"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/paulmach/orb"
)

// manyPoints returns points of every kind over d's finest layer: every
// vertex and segment midpoint of its grids (shared borders and the outer
// border), the truth points, and seeded random points over a box a fifth
// larger than the layer (outside points included), in a shuffled order so
// that blocks mix kinds.
func manyPoints(l *geo.Layer, truth []truthPoint) []orb.Point {
	var pts []orb.Point
	for _, g := range l.Grids {
		for _, poly := range g.Geom {
			for _, r := range poly {
				for i := 0; i+1 < len(r); i++ {
					pts = append(pts, r[i], orb.Point{(r[i][0] + r[i+1][0]) / 2, (r[i][1] + r[i+1][1]) / 2})
				}
			}
		}
	}
	for _, p := range truth {
		pts = append(pts, orb.Point{p.lon, p.lat})
	}
	b := l.Bound()
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	rng := gridtest.Rand(20261129)
	for i := 0; i < 50000; i++ {
		pts = append(pts, orb.Point{b.Min[0] - w/10 + rng.Float64()*w*1.2, b.Min[1] - h/10 + rng.Float64()*h*1.2})
	}
	for i := len(pts) - 1; i > 0; i-- {
		j := int(rng.Float64() * float64(i+1))
		pts[i], pts[j] = pts[j], pts[i]
	}
	return pts
}

// sameAnswers checks that the batched query answers every point as the
// single one does, hit for hit.
func sameAnswers(t *testing.T, x *index.Index, pts []orb.Point, q *index.Query) {
	t.Helper()
	ends := make([]int, len(pts))
	// a prefix in dst must be kept and skipped
	prefix := []index.Hit{{Layer: 99, Grid: 99}}
	var many []index.Hit
	if q == nil {
		many = x.AppendChainsMany(prefix, ends, pts)
	} else {
		many = x.AppendQueryMany(prefix, ends, pts, q)
	}
	if many[0] != prefix[0] {
		t.Fatal("the prefix of dst was overwritten")
	}
	from := 1
	var one []index.Hit
	for k, p := range pts {
		if q == nil {
			one = x.AppendChains(one[:0], p[0], p[1])
		} else {
			one = x.AppendQuery(one[:0], p[0], p[1], q)
		}
		got := many[from:ends[k]]
		if len(got) != len(one) {
			t.Fatalf("point %d %v: batched %+v, single %+v", k, p, got, one)
		}
		for i := range got {
			h := got[i]
			if q == nil {
				h.Branch = 0 // AppendChains does not number branches
			}
			if h != one[i] {
				t.Fatalf("point %d %v: batched %+v, single %+v", k, p, got, one)
			}
		}
		from = ends[k]
	}
}

// TestManyMatchesSingle holds the batched lookups to the single ones on
// every vertex and edge midpoint of the Jiangyin micro grids, the truth
// points and random points in and around the county, with each kind of
// query.
func TestManyMatchesSingle(t *testing.T) {
	d, x := jiangyin(t)
	pts := manyPoints(d.Layer("microgrids"), jiangyinPoints(t, d))
	only := make([]bool, len(d.Layers))
	only[d.LayerIndex("towns")] = true
	for _, tc := range []struct {
		name string
		q    *index.Query
	}{
		{"chains", nil},
		{"default query", &index.Query{}},
		{"nearest 500 m, boundary 5 m", &index.Query{NearestM: 500, BoundaryM: 5}},
		{"towns only", &index.Query{Layers: only}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := len(pts)
			if tc.q != nil && tc.q.NearestM > 0 {
				n = 20000 // the nearest fallback is slow; a sample will do
			}
			sameAnswers(t, x, pts[:n], tc.q)
		})
	}
	// lengths that are not multiples of the block, and none at all
	for _, n := range []int{0, 1, 31, 33, 65} {
		sameAnswers(t, x, pts[:n], nil)
	}
}

// TestManyBranches covers several trees and the fallback to a coarser
// layer where the finest does not reach: a county of two towns, micro grids
// only in the west town, and a police beat layer that is its own tree.
func TestManyBranches(t *testing.T) {
	county := geo.NewLayer("county", []*geo.Grid{{Code: "1", Geom: square(120, 31, 2)}})
	towns := geo.NewLayer("towns", []*geo.Grid{
		{Code: "11", Parent: "1", Geom: square(120, 31, 1)},
		{Code: "12", Parent: "1", Geom: square(121, 31, 1)},
	})
	var micro []*geo.Grid
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			micro = append(micro, &geo.Grid{Code: fmt.Sprintf("11%d%d", i, j), Parent: "11", Geom: square(120+float64(i)/4, 31+float64(j)/4, 0.25)})
		}
	}
	beats := geo.NewLayer("beats", []*geo.Grid{
		{Code: "P1", Geom: square(120.5, 31.5, 1)},
		{Code: "P2", Geom: square(120.5, 30.5, 1)},
	})
	d, err := geo.NewDataset([]*geo.Layer{county, towns, geo.NewLayer("micro", micro), beats})
	if err != nil {
		t.Fatal(err)
	}
	x, err := index.NewIndex(d)
	if err != nil {
		t.Fatal(err)
	}
	var pts []orb.Point
	for i := 0; i <= 96; i++ {
		for j := 0; j <= 96; j++ {
			// steps of 1/32 degree: every border and vertex, exactly
			pts = append(pts, orb.Point{119.5 + float64(i)/32, 30.25 + float64(j)/32})
		}
	}
	for _, q := range []*index.Query{nil, {}, {NearestM: 20000}} {
		sameAnswers(t, x, pts, q)
	}
}
