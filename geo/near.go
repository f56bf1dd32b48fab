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
			for _, cd := range x.candidates(w) {
				e := x.edges[cd.start*4 : (cd.start+cd.n)*4]
				for i := 0; i+3 < len(e); i += 4 {
					// cheap rejection in degrees before the metric distance
					if math.Min(e[i+1], e[i+3]) > py+ty || math.Max(e[i+1], e[i+3]) < py-ty ||
						math.Min(e[i], e[i+2]) > px+tx || math.Max(e[i], e[i+2]) < px-tx {
						continue
					}
					if segDist2((e[i]-px)*kx, (e[i+1]-py)*ky, (e[i+2]-px)*kx, (e[i+3]-py)*ky, 0, 0) <= tol2 {
						return true
					}
				}
			}
		}
	}
	return false
}
