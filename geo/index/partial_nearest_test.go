package index_test

import (
	"math"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/paulmach/orb"
)

// nearest returns the grid of layer li nearest to p within maxM metres and
// its distance, or nil: every grid whose bounds lie within a box of twice
// maxM around p is measured.
func (o *oracle) nearest(li int, p orb.Point, maxM float64) (*geo.Grid, float64) {
	var best *geo.Grid
	bestD := math.Inf(1)
	kx, ky := geo.MetresPerDegree(p[1])
	dx, dy := 2*maxM/kx, 2*maxM/ky
	o.trees[li].Search([2]float64{p[0] - dx, p[1] - dy}, [2]float64{p[0] + dx, p[1] + dy}, func(_, _ [2]float64, g *geo.Grid) bool {
		if d := geo.DistanceToBoundary(g.Geom, p); d < bestD {
			best, bestD = g, d
		}
		return true
	})
	if bestD > maxM {
		return nil, 0
	}
	return best, bestD
}

// TestJinjiangNearest checks nearest=M over Jinjiang's partial buildings:
// a point between buildings gets the nearest building within M metres
// (brute force over every building), marked Nearest with its distance, and
// above it the chain of the grid that covers the point, even where the
// building lies in another grid; a point inside a building is untouched;
// single and batched lookups agree.
func TestJinjiangNearest(t *testing.T) {
	d, x := jinjiang(t)
	o := newOracle(d)
	bl := d.LayerIndex("buildings")
	pts := readPoints(t, gridtest.NeedShared(t, "jinjiang", "points.csv"))
	const maxM = 40
	q := &index.Query{NearestM: maxM}
	ps := make([]orb.Point, len(pts))
	for i, p := range pts {
		ps[i] = orb.Point{p.lon, p.lat}
	}
	ends := make([]int, len(ps))
	many := x.AppendQueryMany(nil, ends, ps, q)
	var given, across, none int
	for i, p := range pts {
		if p.kind != "gap" && p.kind != "inside" {
			continue
		}
		hits := x.AppendQuery(nil, p.lon, p.lat, q)
		if m := many[prevEnd(ends, i):ends[i]]; !slices.Equal(m, hits) {
			t.Fatalf("point %s: AppendQueryMany %+v, AppendQuery %+v", p.id, m, hits)
		}
		cover := o.chain(ps[i])
		if p.kind == "inside" {
			if hits[0].Nearest || !slices.Equal(hitCodes(x, hits), cover) {
				t.Fatalf("point %s inside: %+v", p.id, hits)
			}
			continue
		}
		want, dist := o.nearest(bl, ps[i], maxM)
		if want == nil {
			none++
			if !slices.Equal(hitCodes(x, hits), cover) || hits[0].Nearest {
				t.Fatalf("point %s: no building within %d m, got %v", p.id, maxM, hitCodes(x, hits))
			}
			continue
		}
		given++
		h := hits[0]
		if int(h.Layer) != bl || !h.Nearest || math.Abs(float64(h.DistanceM)-dist) > 1e-3*dist+1e-6 {
			t.Fatalf("point %s: first hit %+v (%s), want nearest %s at %.3f m", p.id, h, x.Grid(h).Code, want.Code, dist)
		}
		if g := x.Grid(h); g.Code != want.Code && math.Abs(geo.DistanceToBoundary(g.Geom, ps[i])-dist) > 1e-9 {
			t.Fatalf("point %s: nearest %s, brute force %s", p.id, g.Code, want.Code)
		}
		if got := hitCodes(x, hits[1:]); !slices.Equal(got, cover) {
			t.Fatalf("point %s: chain above the nearest building %v, want the covering %v", p.id, got, cover)
		}
		for _, a := range hits[1:] {
			if a.Nearest || a.DistanceM != 0 {
				t.Fatalf("point %s: covering hit %+v marked nearest", p.id, a)
			}
		}
		if x.Grid(h).Parent != cover[0] {
			across++
		}
	}
	// NearestOutside: the gap points keep their grid's chain alone
	out := &index.Query{NearestM: maxM, NearestOutside: true}
	for i, p := range pts {
		hits := x.AppendQuery(nil, p.lon, p.lat, out)
		if p.kind == "gap" && (len(hits) == 0 || hits[0].Nearest || !slices.Equal(hitCodes(x, hits), o.chain(ps[i]))) {
			t.Fatalf("point %s, nearest outside only: %v", p.id, hitCodes(x, hits))
		}
		if p.kind == "outside" && len(hits) > 0 && !hits[0].Nearest {
			t.Fatalf("point %s outside, nearest outside only: %+v", p.id, hits[0])
		}
	}
	t.Logf("gap points: %d given a building within %d m (%d of it in another grid), %d with none", given, maxM, across, none)
	if given == 0 || across == 0 || none == 0 {
		t.Fatal("the points do not exercise every case")
	}
}

// TestJinjiangFilters checks the layer filter and the boundary flags on a
// point between buildings: layers=buildings alone gives an empty chain (or,
// with nearest, the nearest building alone); layers=grids gives the grid;
// a flag is set only where the point is within the tolerance of that
// layer's border.
func TestJinjiangFilters(t *testing.T) {
	d, x := jinjiang(t)
	o := newOracle(d)
	bl, gl := d.LayerIndex("buildings"), d.LayerIndex("grids")
	only := func(li int) []bool {
		m := make([]bool, len(d.Layers))
		m[li] = true
		return m
	}
	n := 0
	for _, p := range readPoints(t, gridtest.NeedShared(t, "jinjiang", "points.csv")) {
		if p.kind != "gap" {
			continue
		}
		pt := orb.Point{p.lon, p.lat}
		if hits := x.AppendQuery(nil, p.lon, p.lat, &index.Query{Layers: only(bl)}); len(hits) != 0 {
			t.Fatalf("point %s, layers=buildings: %+v", p.id, hits)
		}
		hits := x.AppendQuery(nil, p.lon, p.lat, &index.Query{Layers: only(bl), NearestM: 1000})
		if len(hits) != 1 || !hits[0].Nearest || int(hits[0].Layer) != bl {
			t.Fatalf("point %s, layers=buildings, nearest: %+v", p.id, hits)
		}
		hits = x.AppendQuery(nil, p.lon, p.lat, &index.Query{Layers: only(gl), BoundaryM: 5})
		if len(hits) != 1 || x.Grid(hits[0]).Code != o.chain(pt)[0] {
			t.Fatalf("point %s, layers=grids: %+v", p.id, hits)
		}
		near := geo.DistanceToBoundary(x.Grid(hits[0]).Geom, pt) <= 5
		if d := geo.DistanceToBoundary(x.Grid(hits[0]).Geom, pt); hits[0].Boundary != near && math.Abs(d-5) > 0.05 {
			t.Fatalf("point %s: boundary %v at %.3f m from the grid's border", p.id, hits[0].Boundary, d)
		}
		if near {
			n++
		}
	}
	t.Logf("%d gap points within 5 m of their grid's border", n)
}
