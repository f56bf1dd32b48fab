// Package label finds where a label of a polygon goes: its pole of
// inaccessibility, the point inside farthest from its boundary. The tiles
// place their label points with it and the search its centres, so that both
// agree.
package label

import (
	"math"

	"github.com/paulmach/orb"
)

// Pole returns the point of mp farthest from its boundary
// (outer rings and holes), and that distance, to within precision: the
// centre of the largest circle inside a polygon, where a label fits best.
// Unlike the centroid it always lies inside (for a polygon with area).
//
// The search is the grid search of Garcia-Castellanos and Lombardo (2007)
// in the form Agafonkin described for Mapbox's polylabel (2016): cover the
// polygon's box with square cells; a cell whose centre is at signed
// distance d from the boundary (positive inside) can hold no point farther
// than d + half its diagonal; visit cells best bound first, keep the best
// centre found, and split a cell into four only when its bound beats the
// best by more than precision.
//
// Coordinates are planar and in any one system (the tiles pass the unit
// Mercator square, the search WGS84 lon/lat degrees); the answer and the
// distance are in that system. A precision of 0 or less means 1 % of the
// larger side of each polygon's box. Every polygon of mp is searched and
// the best point of all is returned. For an empty or zero-area mp it
// returns the first vertex and distance 0.
func Pole(mp orb.MultiPolygon, precision float64) (orb.Point, float64) {
	var best orb.Point
	bestD := math.Inf(-1)
	for _, p := range mp {
		if len(p) == 0 || len(p[0]) < 4 {
			continue
		}
		if q, d := polygonPole(p, precision); d > bestD {
			best, bestD = q, d
		}
	}
	if math.IsInf(bestD, -1) {
		if len(mp) > 0 && len(mp[0]) > 0 && len(mp[0][0]) > 0 {
			return mp[0][0][0], 0
		}
		return orb.Point{}, 0
	}
	return best, bestD
}

// defaultPrecision is the default precision of the search, relative to the
// larger side of a polygon's box: the label's distance from the border is
// within 1 % of that side of the best (3 px for a 200 m micro grid at z18),
// and it stays inside whatever the precision.
const defaultPrecision = 0.01

// labelCell is a square cell of the search: centre c, half side h, signed
// distance d of c from the boundary, and bound = the most any point of the
// cell can be from the boundary.
type labelCell struct {
	c     orb.Point
	h, d  float64
	bound float64
}

func newLabelCell(c orb.Point, h float64, p orb.Polygon) labelCell {
	d := signedDistance(c, p)
	return labelCell{c: c, h: h, d: d, bound: d + h*math.Sqrt2}
}

// cellQueue is a max-heap of cells by bound (own, so that cells are not
// boxed into interfaces as container/heap would).
type cellQueue []labelCell

func (q *cellQueue) push(c labelCell) {
	*q = append(*q, c)
	h := *q
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if h[p].bound >= h[i].bound {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func (q *cellQueue) pop() labelCell {
	h := *q
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && h[l].bound > h[m].bound {
			m = l
		}
		if r < n && h[r].bound > h[m].bound {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	*q = h
	return top
}

// polygonPole is Pole for one polygon.
func polygonPole(p orb.Polygon, precision float64) (orb.Point, float64) {
	b := p[0].Bound()
	w, hgt := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	size := min(w, hgt)
	if size <= 0 {
		return p[0][0], 0
	}
	if precision <= 0 {
		precision = max(w, hgt) * defaultPrecision
	}
	h := size / 2
	q := make(cellQueue, 0, 64)
	for x := b.Min[0]; x < b.Max[0]; x += size {
		for y := b.Min[1]; y < b.Max[1]; y += size {
			q.push(newLabelCell(orb.Point{x + h, y + h}, h, p))
		}
	}
	// Start from the area centroid (often good) and the box centre.
	best := newLabelCell(ringCentroid(p[0]), 0, p)
	if c := newLabelCell(b.Center(), 0, p); c.d > best.d {
		best = c
	}
	for len(q) > 0 {
		c := q.pop()
		if c.d > best.d {
			best = c
		}
		if c.bound-best.d <= precision {
			// Cells come best bound first: none left can beat best by
			// more than precision.
			break
		}
		h := c.h / 2
		for _, off := range [4][2]float64{{-h, -h}, {h, -h}, {-h, h}, {h, h}} {
			q.push(newLabelCell(orb.Point{c.c[0] + off[0], c.c[1] + off[1]}, h, p))
		}
	}
	return best.c, best.d
}

// SignedDistance is the distance from pt to the boundary of mp, positive
// inside one of its polygons, negative outside all; planar, in the system
// of pt and mp.
func SignedDistance(pt orb.Point, mp orb.MultiPolygon) float64 {
	best := math.Inf(-1)
	for _, poly := range mp {
		best = max(best, signedDistance(pt, poly))
	}
	return best
}

// signedDistance is the distance from pt to the nearest edge of p's rings,
// positive when pt is inside p (inside the outer ring and outside every
// hole, by the even–odd rule), negative otherwise.
func signedDistance(pt orb.Point, p orb.Polygon) float64 {
	inside := false
	minD2 := math.Inf(1)
	for _, r := range p {
		n := len(r)
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a[1] > pt[1]) != (b[1] > pt[1]) && pt[0] < (b[0]-a[0])*(pt[1]-a[1])/(b[1]-a[1])+a[0] {
				inside = !inside
			}
			minD2 = min(minD2, segmentDistance2(pt, a, b))
		}
	}
	d := math.Sqrt(minD2)
	if inside {
		return d
	}
	return -d
}

// segmentDistance2 is the squared distance from p to segment ab.
func segmentDistance2(p, a, b orb.Point) float64 {
	x, y := a[0], a[1]
	dx, dy := b[0]-x, b[1]-y
	if dx != 0 || dy != 0 {
		t := ((p[0]-x)*dx + (p[1]-y)*dy) / (dx*dx + dy*dy)
		switch {
		case t > 1:
			x, y = b[0], b[1]
		case t > 0:
			x, y = x+dx*t, y+dy*t
		}
	}
	dx, dy = p[0]-x, p[1]-y
	return dx*dx + dy*dy
}

// ringCentroid is the area centroid of a closed ring, or its first vertex
// when the ring has no area.
func ringCentroid(r orb.Ring) orb.Point {
	var a, cx, cy float64
	for i := 0; i+1 < len(r); i++ {
		f := r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
		a += f
		cx += (r[i][0] + r[i+1][0]) * f
		cy += (r[i][1] + r[i+1][1]) * f
	}
	if a == 0 {
		return r[0]
	}
	return orb.Point{cx / (3 * a), cy / (3 * a)}
}
