package index_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
)

// TestPartitionEveryVertexAndEdge walks every vertex and the midpoint of
// every segment of every grid of each Jiangyin layer: a point that the
// layer covers away from its outer border must have exactly one owner under
// the semi-open rule, the index must name that owner, and the owner's closed
// polygon must cover the point.
func TestPartitionEveryVertexAndEdge(t *testing.T) {
	d, x := jiangyin(t)
	for li, l := range d.Layers {
		t.Run(l.Name, func(t *testing.T) {
			var tr rtree.RTreeG[int]
			for gi, g := range l.Grids {
				b := g.Bound()
				tr.Insert(b.Min, b.Max, gi)
			}
			outer := outerSegments(l)
			checked, onOuter := 0, 0
			check := func(p orb.Point, isOuter, isVertex bool) {
				var owners []int
				tr.Search(p, p, func(_, _ [2]float64, gi int) bool {
					if geo.Contains(l.Grids[gi].Geom, p) {
						owners = append(owners, gi)
					}
					return true
				})
				got := x.Locate(li, p[0], p[1])
				switch {
				case len(owners) > 1:
					t.Fatalf("%v: %d owners", p, len(owners))
				case len(owners) == 1 && got != owners[0]:
					t.Fatalf("%v: index says %d, rule says %s", p, got, l.Grids[owners[0]].Code)
				case len(owners) == 0 && !isOuter:
					t.Fatalf("%v: inner point without owner", p)
				case len(owners) == 0:
					// a vertex lies exactly on the outer border and belongs to
					// the grid inside; a computed midpoint may be a hair off it
					onOuter++
					if got < 0 && isVertex {
						t.Fatalf("%v on the outer border: no grid", p)
					}
				}
				if got >= 0 && !planar.MultiPolygonContains(l.Grids[got].Geom, p) && geo.DistanceToBoundary(l.Grids[got].Geom, p) > 1e-6 {
					t.Fatalf("%v: owner %s does not cover it", p, l.Grids[got].Code)
				}
				checked++
			}
			for _, g := range l.Grids {
				for _, poly := range g.Geom {
					for _, r := range poly {
						for i := 0; i+1 < len(r); i++ {
							a, b := r[i], r[i+1]
							key := segKey(a, b)
							check(a, outer[vKey(a)], true)
							check(orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}, outer[key], false)
						}
					}
				}
			}
			t.Logf("%d points checked, %d on the outer border", checked, onOuter)
		})
	}
}

func vKey(p orb.Point) string { return fmt.Sprint(p) }
func segKey(a, b orb.Point) string {
	if a[0] > b[0] || a[0] == b[0] && a[1] > b[1] {
		a, b = b, a
	}
	return fmt.Sprint(a, b)
}

// outerSegments returns the segments (and their vertices) that belong to one
// grid only: the outer border of the layer's coverage.
func outerSegments(l *geo.Layer) map[string]bool {
	count := map[string]int{}
	for _, g := range l.Grids {
		for _, poly := range g.Geom {
			for _, r := range poly {
				for i := 0; i+1 < len(r); i++ {
					count[segKey(r[i], r[i+1])]++
				}
			}
		}
	}
	out := map[string]bool{}
	for _, g := range l.Grids {
		for _, poly := range g.Geom {
			for _, r := range poly {
				for i := 0; i+1 < len(r); i++ {
					if k := segKey(r[i], r[i+1]); count[k] == 1 {
						out[k] = true
						out[vKey(r[i])] = true
						out[vKey(r[i+1])] = true
					}
				}
			}
		}
	}
	return out
}

func TestQueryBoundaryNearestLayers(t *testing.T) {
	d, x := jiangyin(t)
	micro := d.LayerIndex("microgrids")
	towns := d.LayerIndex("towns")
	var pts []truthPoint
	pts = jiangyinPoints(t, d)
	counts := map[string][2]int{}
	for _, p := range pts {
		hits := x.AppendQuery(nil, p.lon, p.lat, &index.Query{NearestM: 3000})
		if p.kind == "outside" {
			if len(hits) > 0 {
				h := hits[0]
				if !h.Nearest || h.DistanceM <= 0 || h.DistanceM > 3000 {
					t.Fatalf("outside point %s: %+v", p.id, h)
				}
				g := x.Grid(h)
				if dd := geo.DistanceToBoundary(g.Geom, orb.Point{p.lon, p.lat}); math.Abs(dd-float64(h.DistanceM)) > 1e-3*dd {
					t.Fatalf("distance %v vs %v", h.DistanceM, dd)
				}
				c := counts["nearest"]
				c[0]++
				counts["nearest"] = c
			}
			continue
		}
		if len(hits) == 0 {
			continue
		}
		if hits[0].Nearest && p.kind == "county_border" && hits[0].DistanceM < 0.01 {
			continue // a hair outside the county: the nearest grid is right there
		}
		if int(hits[0].Layer) != micro || hits[0].Nearest {
			t.Fatalf("point %s: first hit %+v", p.id, hits[0])
		}
		c := counts[p.kind]
		c[1]++
		if hits[0].Boundary {
			c[0]++
		}
		counts[p.kind] = c
		if (p.kind == "edge" || p.kind == "vertex") && !hits[0].Boundary {
			t.Errorf("point %s (%s) on a border is not flagged", p.id, p.kind)
		}
		// the boundary flag of a coarser layer implies the finer one's
		for i := 1; i < len(hits); i++ {
			if hits[i].Boundary && !hits[i-1].Boundary {
				t.Errorf("point %s: %s on a border but %s not", p.id, x.LayerName(hits[i]), x.LayerName(hits[i-1]))
			}
		}
		// the layer filter keeps only towns, the same grid as the full chain
		only := make([]bool, len(d.Layers))
		only[towns] = true
		f := x.AppendQuery(nil, p.lon, p.lat, &index.Query{Layers: only})
		if len(f) != 1 || int(f[0].Layer) != towns || f[0].Grid != hits[len(hits)-2].Grid {
			t.Fatalf("point %s: towns filter %+v vs chain %+v", p.id, f, hits)
		}
	}
	t.Logf("boundary flagged / answered per kind, nearest answered: %v", counts)
	if counts["nearest"][0] == 0 {
		t.Error("no outside point got a nearest grid within 3 km")
	}
	if in := counts["inside"]; in[0]*100 > in[1] {
		t.Errorf("%d of %d inside points flagged as on a border", in[0], in[1])
	}
}

// TestBoundaryFlagMatchesDistance holds the micro-grid layer's boundary flag
// to the brute-force answer (some grid's boundary within the tolerance, by
// DistanceToBoundary) for points near and far from borders, at tolerances
// from 0.5 m to 80 m: points a random 0–3 tolerances off a random micro-grid
// edge, and random points in the county.
func TestBoundaryFlagMatchesDistance(t *testing.T) {
	d, x := jiangyin(t)
	micro := d.LayerIndex("microgrids")
	ml := d.Layers[micro]
	var tr rtree.RTreeG[int]
	for gi, g := range ml.Grids {
		b := g.Bound()
		tr.Insert(b.Min, b.Max, gi)
	}
	rng := gridtest.Rand(20261129)
	b := ml.Bound()
	flagged, checked := 0, 0
	for i := 0; i < 6000; i++ {
		tol := []float64{0.5, 1, 5, 80}[i%4]
		var p orb.Point
		if i%3 == 0 {
			p = orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		} else {
			g := ml.Grids[int(rng.Float64()*float64(len(ml.Grids)))]
			r := g.Geom[0][0]
			k := int(rng.Float64() * float64(len(r)-1))
			f := rng.Float64()
			q := orb.Point{r[k][0] + f*(r[k+1][0]-r[k][0]), r[k][1] + f*(r[k+1][1]-r[k][1])}
			// off the edge by up to three tolerances, in metres
			ang := rng.Float64() * 2 * math.Pi
			dist := rng.Float64() * 3 * tol
			p = orb.Point{q[0] + dist*math.Cos(ang)/(111320*math.Cos(q[1]*math.Pi/180)), q[1] + dist*math.Sin(ang)/110574}
		}
		hits := x.AppendQuery(nil, p[0], p[1], &index.Query{BoundaryM: tol})
		if len(hits) == 0 || int(hits[0].Layer) != micro {
			continue
		}
		// brute force over the grids whose box is within reach
		dx, dy := 2*tol/(111320*math.Cos(p[1]*math.Pi/180)), 2*tol/110574
		near := false
		tr.Search([2]float64{p[0] - dx, p[1] - dy}, [2]float64{p[0] + dx, p[1] + dy}, func(_, _ [2]float64, gi int) bool {
			if geo.DistanceToBoundary(ml.Grids[gi].Geom, p) <= tol {
				near = true
				return false
			}
			return true
		})
		if hits[0].Boundary != near {
			t.Fatalf("point %d %v, tolerance %g m: flag %v, brute force %v", i, p, tol, hits[0].Boundary, near)
		}
		checked++
		if near {
			flagged++
		}
	}
	if checked < 5000 || flagged < checked/4 || flagged > checked*3/4 {
		t.Fatalf("%d points checked, %d flagged: the test does not mix near and far points", checked, flagged)
	}
}
