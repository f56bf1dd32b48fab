package index

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// starPolygon returns a closed ring of n vertices around (cx, cy) whose
// radius wanders between rMin and rMax: concave, with many vertices in each
// row of a coarse index, and, with snap > 0, coordinates on a lattice of that
// step so that vertices share latitudes and longitudes exactly (with each
// other and with the lattice of test points).
func starPolygon(rng *rand.Rand, cx, cy, rMin, rMax float64, n int, snap float64) orb.Ring {
	r := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		rad := rMin + rng.Float64()*(rMax-rMin)
		p := orb.Point{cx + rad*math.Cos(a), cy + rad*math.Sin(a)}
		if snap > 0 {
			p = orb.Point{math.Round(p[0]/snap) * snap, math.Round(p[1]/snap) * snap}
		}
		if len(r) > 0 && r[len(r)-1] == p {
			continue
		}
		r = append(r, p)
	}
	return append(r, r[0])
}

// owners is, for one test point, the grids that contain it under the
// semi-open test and, when none does, those with the point on their border.
type owners struct{ in, on []int }

// plainOwners answers each point with the plain test over every grid.
func plainOwners(grids []orb.MultiPolygon, pts []orb.Point) []owners {
	out := make([]owners, len(pts))
	bounds := make([]orb.Bound, len(grids))
	for gi, g := range grids {
		bounds[gi] = g.Bound()
	}
	for i, p := range pts {
		for gi, g := range grids {
			if !bounds[gi].Contains(p) {
				continue
			}
			if geo.Contains(g, p) {
				out[i].in = append(out[i].in, gi)
			} else if onGeometry(g, p) {
				out[i].on = append(out[i].on, gi)
			}
		}
	}
	return out
}

// checkIndex compares the cell index x with the plain answers want of pts: the owner is a grid that contains the
// point, and when none does, a grid with the point exactly on its border,
// else none.
func checkIndex(t *testing.T, name string, x *cellIndex, pts []orb.Point, want []owners) {
	t.Helper()
	for i, p := range pts {
		in, on := want[i].in, want[i].on
		got := x.locate(p[0], p[1])
		switch {
		case len(in) > 0:
			if !slices.Contains(in, got) {
				t.Fatalf("%s: point %d %v: index says %d, the grids that contain it are %v", name, i, p, got, in)
			}
		case len(on) > 0:
			if !slices.Contains(on, got) {
				t.Fatalf("%s: point %d %v on the border of %v: index says %d", name, i, p, on, got)
			}
		default:
			if got != -1 {
				t.Fatalf("%s: point %d %v in no grid: index says %d", name, i, p, got)
			}
		}
	}
}

// checkMany checks that locateMany answers every point as locate does.
func checkMany(t *testing.T, name string, x *cellIndex, pts []orb.Point) {
	t.Helper()
	out := make([]int32, len(pts))
	x.locateMany(pts, out)
	for i, p := range pts {
		if g := x.locate(p[0], p[1]); out[i] != int32(g) {
			t.Fatalf("%s: point %d %v: locateMany says %d, locate %d", name, i, p, out[i], g)
		}
	}
}

// onGeometry reports whether p lies exactly on an edge of g.
func onGeometry(g orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range g {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				if geo.OnSegment(r[i][0], r[i][1], r[i+1][0], r[i+1][1], p[0], p[1]) {
					return true
				}
			}
		}
	}
	return false
}

// testPoints returns random points over b, n of the vertices of grids and of
// their edges' midpoints (all of them when there are fewer), and points on the lattice of step snap over b (vertices'
// latitudes at other longitudes and the other way round: where the parity of
// the eastern edges flips).
func testPoints(rng *rand.Rand, grids []orb.MultiPolygon, b orb.Bound, n int, snap float64) []orb.Point {
	var pts []orb.Point
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	for i := 0; i < n; i++ {
		pts = append(pts, orb.Point{b.Min[0] - 0.05*w + rng.Float64()*1.1*w, b.Min[1] - 0.05*h + rng.Float64()*1.1*h})
	}
	var ys, xs []float64
	var onEdges []orb.Point
	for _, g := range grids {
		for _, poly := range g {
			for _, r := range poly {
				for i := 0; i+1 < len(r); i++ {
					onEdges = append(onEdges, r[i], orb.Point{(r[i][0] + r[i+1][0]) / 2, (r[i][1] + r[i+1][1]) / 2})
					ys = append(ys, r[i][1])
					xs = append(xs, r[i][0])
				}
			}
		}
	}
	if len(onEdges) > 2*n {
		rng.Shuffle(len(onEdges), func(i, j int) { onEdges[i], onEdges[j] = onEdges[j], onEdges[i] })
		onEdges = onEdges[:2*n]
	}
	pts = append(pts, onEdges...)
	// vertices' latitudes at random longitudes, and vertices' longitudes at
	// random latitudes
	for i := 0; i < n; i++ {
		pts = append(pts, orb.Point{b.Min[0] + rng.Float64()*w, ys[rng.IntN(len(ys))]})
		pts = append(pts, orb.Point{xs[rng.IntN(len(xs))], b.Min[1] + rng.Float64()*h})
		if snap > 0 {
			pts = append(pts, orb.Point{
				math.Round((b.Min[0]+rng.Float64()*w)/snap) * snap,
				math.Round((b.Min[1]+rng.Float64()*h)/snap) * snap,
			})
		}
	}
	return pts
}

// TestCellIndexAwkwardGrids holds the cell index, without and with its hot
// level, to the plain test on grids
// that the sample data has none of: concave stars with hundreds of vertices
// per row of a coarse index, holes, several polygons per grid, grids that
// overlap, horizontal edges and vertices on a shared lattice; at several cell
// densities, so that cells hold many touching edges and long runs of eastern
// edges whose parity flips inside a row.
func TestCellIndexAwkwardGrids(t *testing.T) {
	rng := rand.New(rand.NewPCG(20261129, 1))
	for round := 0; round < 6; round++ {
		snap := 0.0
		if round%2 == 1 {
			snap = 0.01
		}
		grids, b := awkwardGrids(rng, snap)
		pts := testPoints(rng, grids, b, 3000, snap)
		want := plainOwners(grids, pts)
		for _, cells := range []int{1, 16, 256, 4096, 65536} {
			name := fmt.Sprintf("round %d, %d cells", round, cells)
			x := buildCellIndex(grids, cells)
			checkIndex(t, name, x, pts, want)
			// the same with the hot level, which must answer some of
			// the points itself, and on the corners of its subcells
			x.buildHot(len(grids))
			checkIndex(t, name+", hot level", x, pts, want)
			lattice := latticePoints(rng, x, 200)
			if n := checkHot(t, name, x, append(pts, lattice...)); n == 0 {
				t.Fatalf("%s: the hot level answered none of the points", name)
			}
			// batched, through the hot level and, as for a level larger
			// than the cache, past it
			all := append(slices.Clip(pts), lattice...)
			checkMany(t, name+", batched", x, all)
			x.hot.large = true
			checkMany(t, name+", batched, large hot level", x, all)
			x.hot.large = false
			var some []orb.Point // random, on edges and on vertices' lines
			for i := 0; i < len(pts); i += 5 {
				some = append(some, pts[i])
			}
			if n := checkNearHot(t, name, x, some); n == 0 {
				t.Fatalf("%s: the hot level settled no boundary test", name)
			}
		}
	}
}

// awkwardGrids returns grids that the sample data has none of, and their
// bound: a concave star with a star-shaped hole and a second polygon in the
// hole, a star that overlaps it, one wholly inside it, and two boxes that
// share a side; with snap > 0, their vertices lie on a lattice of that step.
func awkwardGrids(rng *rand.Rand, snap float64) ([]orb.MultiPolygon, orb.Bound) {
	outer := starPolygon(rng, 0, 0, 3, 5, 400, snap)
	hole := starPolygon(rng, 0, 0, 1, 2, 120, snap)
	slices.Reverse(hole)
	island := starPolygon(rng, 0, 0, 0.2, 0.6, 40, snap)
	grids := []orb.MultiPolygon{
		{{outer, hole}, {island}},
		{{starPolygon(rng, 4, 1, 1, 3, 300, snap)}},
		{{starPolygon(rng, -3, -1, 0.3, 0.7, 60, snap)}},
		{{{{6, -4}, {8, -4}, {8, -2}, {6, -2}, {6, -4}}}},
		{{{{8, -4}, {10, -4}, {10, -2}, {8, -2}, {8, -4}}}},
	}
	b := grids[0].Bound()
	for _, g := range grids[1:] {
		b = b.Union(g.Bound())
	}
	return grids, b
}

// TestCellIndexManyEdgesInOneCell covers a candidate with more touching
// edges than its header's count field holds (the counts then follow in a word
// of their own).
func TestCellIndexManyEdgesInOneCell(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	// a fine zigzag along the south side, all in one cell of a 2×2 index
	const teeth = countMask + 5000
	ring := make(orb.Ring, 0, teeth+5)
	for i := 0; i <= teeth; i++ {
		ring = append(ring, orb.Point{float64(i) / teeth, float64(i%2) * 0.001})
	}
	ring = append(ring, orb.Point{10, 0}, orb.Point{10, 10}, orb.Point{0, 10}, ring[0])
	grids := []orb.MultiPolygon{{{ring}}}
	x := buildCellIndex(grids, 1)
	escaped := false
	for _, w := range x.cells {
		if w&interiorFlag == 0 && x.border[w]>>edgesShift&countMask == countEscape {
			escaped = true
		}
	}
	if !escaped {
		t.Fatal("no candidate needed the escaped counts: the test does not cover them")
	}
	pts := testPoints(rng, grids, orb.Bound{Min: orb.Point{-0.1, -0.01}, Max: orb.Point{1.1, 0.02}}, 100, 0)
	checkIndex(t, "one cell", buildCellIndex(grids, 1), pts, plainOwners(grids, pts))
}
