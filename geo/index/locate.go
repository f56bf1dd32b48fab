package index

import (
	"math"
	"runtime"

	"github.com/gridmap/gridmap/geo"
)

// Locate returns the position of the grid of layer (a position in
// Dataset.Layers) that owns the point (lon, lat), WGS84, under geo's
// boundary rule, or -1 when no grid of the layer covers it.
func (x *Index) Locate(layer int, lon, lat float64) int {
	g := x.layers[layer].cells.locate(lon, lat)
	runtime.KeepAlive(x) // see "Memory outside the heap" in doc.go
	return g
}

// locate returns the grid that owns (lon, lat) under the semi-open rule, or
// -1.
func (x *cellIndex) locate(px, py float64) int {
	fx := (px - x.minX) * x.invW
	fy := (py - x.minY) * x.invH
	if !(fx >= 0 && fy >= 0 && fx < float64(x.nx) && fy < float64(x.ny)) {
		return -1
	}
	c, r := int(fx), int(fy)
	if x.hot != nil {
		if g, ok := x.hot.locate(c, r, fx, fy); ok {
			return g
		}
	}
	w := x.cells[r*x.nx+c]
	if w&interiorFlag != 0 {
		o := w &^ interiorFlag
		if o == noOwner {
			return -1
		}
		return int(o)
	}
	return x.locateBorder(w, px, py)
}

// locateBorder is locate's answer for a point in the border cell whose word
// is w.
func (x *cellIndex) locateBorder(w uint32, px, py float64) int {
	for i := int(w); ; {
		cd, next := candAt(x.border, i)
		odd := cd.odd
		e := cd.edges
		for k := 0; k+3 < len(e); k += 4 {
			ay, by := math.Float64frombits(e[k+1]), math.Float64frombits(e[k+3])
			if !(ay <= py && py < by) {
				continue
			}
			ax, bx := math.Float64frombits(e[k]), math.Float64frombits(e[k+2])
			// the orientation of (a, b, p), exact when the fast value's
			// error bound cannot prove its sign (see geo.Orient)
			detl := (bx - ax) * (py - ay)
			detr := (by - ay) * (px - ax)
			det := detl - detr
			bound := (math.Abs(detl) + math.Abs(detr)) * 4e-16
			if det > bound || (det >= -bound && geo.Orient(ax, ay, bx, by, px, py) > 0) {
				odd = !odd
			}
		}
		for _, f := range cd.flips {
			if math.Float64frombits(f) <= py {
				odd = !odd
			}
		}
		if odd {
			return int(cd.grid)
		}
		if cd.last {
			break
		}
		i = next
	}
	// No grid owns the point by the semi-open rule: it may still lie on the
	// outer border of the layer's coverage (east and north sides), where the
	// closed polygon covers it and no neighbour would take it.
	return x.onBorder(w, px, py)
}

// onBorder returns the candidate grid of the border cell whose word is w with
// an edge that passes exactly through (px, py), by the exact orientation
// predicate, or -1. It closes the outer border of a layer's coverage: a
// point exactly on it belongs to the grid inside, as the grid's closed
// polygon covers it. Every edge through a point of the cell touches the
// cell.
func (x *cellIndex) onBorder(w uint32, px, py float64) int {
	for i := int(w); ; {
		cd, next := candAt(x.border, i)
		e := cd.edges
		for k := 0; k+3 < len(e); k += 4 {
			if geo.OnSegment(math.Float64frombits(e[k]), math.Float64frombits(e[k+1]),
				math.Float64frombits(e[k+2]), math.Float64frombits(e[k+3]), px, py) {
				return int(cd.grid)
			}
		}
		if cd.last {
			return -1
		}
		i = next
	}
}
