package geo

import "math"

// nearBorder reports whether (px, py) lies within tolM metres of an edge of
// the layer, using the local scale (kx, ky) metres per degree at the point.
// Every edge within the tolerance crosses one of the cells around the point,
// and every edge that touches a cell is in that cell's candidate lists, so
// looking at those cells is exact.
func (x *cellIndex) nearBorder(px, py, tolM, kx, ky float64) bool {
	tx, ty := tolM/kx, tolM/ky
	c0 := int(math.Floor((px - tx - x.minX) * x.invW))
	c1 := int(math.Floor((px + tx - x.minX) * x.invW))
	r0 := int(math.Floor((py - ty - x.minY) * x.invH))
	r1 := int(math.Floor((py + ty - x.minY) * x.invH))
	if c1 < 0 || r1 < 0 || c0 >= x.nx || r0 >= x.ny {
		return false
	}
	c0, c1, r0, r1 = x.clampCol(c0), x.clampCol(c1), x.clampRow(r0), x.clampRow(r1)
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
		if segDist2((ax-px)*kx, (ay-py)*ky, (bx-px)*kx, (by-py)*ky, 0, 0) <= tol2 {
			return true
		}
	}
	return false
}
