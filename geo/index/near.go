package index

import (
	"math"

	"github.com/gridmap/gridmap/geo"
)

// localScale is the metres per degree (kx of longitude, ky of latitude) at
// one latitude, computed on first use: most points are nowhere near a
// border, and the cells around them tell so without it.
type localScale struct {
	lat    float64
	kx, ky float64
}

func (s *localScale) get() (kx, ky float64) {
	if s.kx == 0 {
		s.kx, s.ky = geo.MetresPerDegree(s.lat)
	}
	return s.kx, s.ky
}

// nearBorder reports whether (px, py) lies within tolM metres of an edge of
// the layer, using the local scale at the point (sc, for latitude py).
// Every edge within the tolerance crosses one of the cells around the point,
// and every edge that touches a cell is in that cell's candidate lists, so
// looking at those cells is exact. When every cell of a box at least as large
// as the tolerance's is interior (or, with a hot level, every cell and border
// subcell), the answer is no without the local scale.
func (x *cellIndex) nearBorder(px, py, tolM float64, sc *localScale) bool {
	if math.Abs(py) <= x.maxAbsLat {
		tx, ty := tolM/x.minKx, tolM/minKy
		if x.hot != nil {
			if x.hot.noEdgeNear(x, px, py, tx, ty) {
				return false
			}
		} else if x.allInterior(px, py, tx, ty) {
			return false
		}
	}
	kx, ky := sc.get()
	tx, ty := tolM/kx, tolM/ky
	c0, c1, r0, r1 := x.cellBox(px, py, tx, ty)
	tol2 := tolM * tolM
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			w := x.cells[r*x.nx+c]
			if w&interiorFlag != 0 {
				continue
			}
			for i := int(w); ; {
				cd, next := candAt(x.border, i)
				if edgesNear(cd.edges, px, py, tx, ty, kx, ky, tol2) {
					return true
				}
				if cd.last {
					break
				}
				i = next
			}
		}
	}
	return false
}

// minKy is the least length of a degree of latitude, at the equator, in
// metres.
var _, minKy = geo.MetresPerDegree(0)

// cellBox returns the columns and rows of the cells that the box of half
// sides (tx, ty) degrees around (px, py) meets, clamped to the grid; c0 > c1
// when the box misses it.
func (x *cellIndex) cellBox(px, py, tx, ty float64) (c0, c1, r0, r1 int) {
	c0 = int(math.Floor((px - tx - x.minX) * x.invW))
	c1 = int(math.Floor((px + tx - x.minX) * x.invW))
	r0 = int(math.Floor((py - ty - x.minY) * x.invH))
	r1 = int(math.Floor((py + ty - x.minY) * x.invH))
	if c1 < 0 || r1 < 0 || c0 >= x.nx || r0 >= x.ny {
		return 1, 0, 1, 0
	}
	return x.clampCol(c0), x.clampCol(c1), x.clampRow(r0), x.clampRow(r1)
}

// allInterior reports whether every cell that the box of half sides (tx, ty)
// degrees around (px, py) meets lies inside one grid or none (no border
// passes through it).
func (x *cellIndex) allInterior(px, py, tx, ty float64) bool {
	c0, c1, r0, r1 := x.cellBox(px, py, tx, ty)
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			if x.cells[r*x.nx+c]&interiorFlag == 0 {
				return false
			}
		}
	}
	return true
}

// edgesNear reports whether one of edges (4 words each, WGS84 float64 bits)
// lies within sqrt(tol2) metres of (px, py), at the local scale (kx, ky)
// metres per degree; (tx, ty) is the tolerance in degrees.
func edgesNear(edges []uint64, px, py, tx, ty, kx, ky, tol2 float64) bool {
	for i := 0; i+3 < len(edges); i += 4 {
		ax, ay := math.Float64frombits(edges[i]), math.Float64frombits(edges[i+1])
		bx, by := math.Float64frombits(edges[i+2]), math.Float64frombits(edges[i+3])
		// cheap rejection in degrees before the metric distance
		if math.Min(ay, by) > py+ty || math.Max(ay, by) < py-ty ||
			math.Min(ax, bx) > px+tx || math.Max(ax, bx) < px-tx {
			continue
		}
		if geo.SegmentDist2((ax-px)*kx, (ay-py)*ky, (bx-px)*kx, (by-py)*ky, 0, 0) <= tol2 {
			return true
		}
	}
	return false
}
