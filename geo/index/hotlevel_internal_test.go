package index

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// latticePoints returns points of x's subcell lattice (the corners of every
// subcell of n random border cells, where a query's rounding decides which
// subcell and cell it falls in) and the same points moved by one unit in the
// last place each way.
func latticePoints(rng *rand.Rand, x *cellIndex, n int) []orb.Point {
	var border []int
	for i, w := range x.cells {
		if w&interiorFlag == 0 {
			border = append(border, i)
		}
	}
	var pts []orb.Point
	if len(border) == 0 {
		return pts
	}
	sw, sh := x.cellW/subSide, x.cellH/subSide
	for k := 0; k < n; k++ {
		i := border[rng.IntN(len(border))]
		c, r := i%x.nx, i/x.nx
		for sy := 0; sy <= subSide; sy++ {
			for sx := 0; sx <= subSide; sx++ {
				px := x.minX + float64(c)*x.cellW + float64(sx)*sw
				py := x.minY + float64(r)*x.cellH + float64(sy)*sh
				for _, dx := range []float64{-1, 0, 1} {
					for _, dy := range []float64{-1, 0, 1} {
						pts = append(pts, orb.Point{
							math.Nextafter(px, px+dx),
							math.Nextafter(py, py+dy),
						})
					}
				}
			}
		}
	}
	return pts
}

// checkHot compares x's answers with and without its hot level on pts and
// returns how many of them the hot level answered itself.
func checkHot(t *testing.T, name string, x *cellIndex, pts []orb.Point) int {
	t.Helper()
	if x.hot == nil {
		t.Fatalf("%s: no hot level", name)
	}
	plain := *x
	plain.hot = nil
	answered := 0
	for i, p := range pts {
		want := plain.locate(p[0], p[1])
		got := x.locate(p[0], p[1])
		if got != want {
			t.Fatalf("%s: point %d %v: %d with the hot level, %d without", name, i, p, got, want)
		}
		fx, fy := (p[0]-x.minX)*x.invW, (p[1]-x.minY)*x.invH
		if fx >= 0 && fy >= 0 && fx < float64(x.nx) && fy < float64(x.ny) {
			if _, ok := x.hot.locate(int(fx), int(fy), fx, fy); ok {
				answered++
			}
		}
	}
	return answered
}

// checkNearHot compares x's boundary test with and without its hot level
// on pts, and on each point moved by a fraction of the tolerance, at several
// tolerances; it returns how often the hot level alone said no.
func checkNearHot(t *testing.T, name string, x *cellIndex, pts []orb.Point) int {
	t.Helper()
	plain := *x
	plain.hot = nil
	decided := 0
	for _, tolM := range []float64{1, 300, 3000, 30000} {
		d := tolM / 111e3 // about the tolerance in degrees of latitude
		for i, p := range pts {
			for _, q := range []orb.Point{p, {p[0] + 0.7*d, p[1]}, {p[0], p[1] - 1.3*d}} {
				var s1, s2 localScale
				s1.lat, s2.lat = q[1], q[1]
				want := plain.nearBorder(q[0], q[1], tolM, &s1)
				if got := x.nearBorder(q[0], q[1], tolM, &s2); got != want {
					t.Fatalf("%s: point %d %v, %g m: near %v with the hot level, %v without", name, i, q, tolM, got, want)
				}
				if !want && math.Abs(q[1]) <= x.maxAbsLat && x.hot.noEdgeNear(x, q[0], q[1], tolM/x.minKx, tolM/minKy) {
					decided++
				}
			}
		}
	}
	return decided
}

// TestHotLevelPalette covers blocks with more owners than the palette holds:
// a block of many small squares, whose cells beyond the palette must be sent
// on to their cell words.
func TestHotLevelPalette(t *testing.T) {
	var grids []orb.MultiPolygon
	const n = 12
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x0, y0 := float64(i), float64(j)
			grids = append(grids, orb.MultiPolygon{{{{x0, y0}, {x0 + 1, y0}, {x0 + 1, y0 + 1}, {x0, y0 + 1}, {x0, y0}}}})
		}
	}
	// 3 × 3 cells per square: a block of 4 × 4 cells holds interior cells
	// of up to 4 squares, more than the palette's 3
	x := buildCellIndex(grids, 9*n*n)
	x.buildHot(len(grids))
	missed := 0
	for _, s := range x.hot.subs {
		if s == math.MaxUint32 {
			missed++
		}
	}
	if missed == 0 {
		t.Fatal("no interior cell missed its block's palette: the test does not cover it")
	}
	rng := rand.New(rand.NewPCG(3, 3))
	pts := testPoints(rng, grids, orb.Bound{Max: orb.Point{n, n}}, 5000, 0.25)
	checkHot(t, "squares", x, append(pts, latticePoints(rng, x, 100)...))
	want := plainOwners(grids, pts)
	for i, p := range pts {
		got := x.locate(p[0], p[1])
		if in := want[i].in; len(in) > 0 && !slices.Contains(in, got) {
			t.Fatalf("point %v: %d, want one of %v", p, got, in)
		}
	}
}

// TestHotLevelLimits: a layer too large for the palette's owner numbers has
// no hot level, and one that fits has one.
func TestHotLevelLimits(t *testing.T) {
	x := buildCellIndex([]orb.MultiPolygon{{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}}, 64)
	if x.hotBytes(noPalOwner) >= 0 {
		t.Errorf("hotBytes(%d grids) = %d, want -1", noPalOwner, x.hotBytes(noPalOwner))
	}
	x.buildHot(noPalOwner)
	if x.hot != nil {
		t.Error("a hot level was built for more grids than its palette can name")
	}
	x.buildHot(1)
	if x.hot == nil {
		t.Error("no hot level for one grid")
	}
}
