package geo

import "github.com/paulmach/orb"

// crosses reports whether the edge (a, b) counts for the semi-open crossing
// test of point (px, py): it straddles py half-open (min.y ≤ py < max.y) and
// the point lies strictly west of it. The result does not depend on the
// direction of the edge, so two grids that share the edge decide alike.
// All coordinates are (lon, lat).
func crosses(ax, ay, bx, by, px, py float64) bool {
	if ay > by || (ay == by && ax > bx) {
		ax, ay, bx, by = bx, by, ax, ay
	}
	// now a is the lower end
	if !(ay <= py && py < by) {
		return false
	}
	// P strictly west of an upward edge a→b means P is to its left.
	return Orient(ax, ay, bx, by, px, py) > 0
}

// RingCrossings returns the number of edges of ring r that count for the
// semi-open crossing test of point p, (lon, lat). The ring may be open or
// closed.
func RingCrossings(r orb.Ring, p orb.Point) int {
	n := len(r)
	if n < 2 {
		return 0
	}
	c := 0
	for i := 0; i < n; i++ {
		a := r[i]
		b := r[(i+1)%n]
		if a == b {
			continue
		}
		if crosses(a[0], a[1], b[0], b[1], p[0], p[1]) {
			c++
		}
	}
	return c
}

// Contains reports whether the grid geometry mp owns point p, (lon, lat),
// under the package's semi-open boundary rule: holes and every polygon of a
// MultiPolygon are honoured, and of several grids that tile the area around
// p exactly one contains it.
func Contains(mp orb.MultiPolygon, p orb.Point) bool {
	c := 0
	for _, poly := range mp {
		for _, r := range poly {
			c += RingCrossings(r, p)
		}
	}
	return c%2 == 1
}

// OnSegment reports whether (px, py) lies exactly on the segment (ax, ay)–
// (bx, by), by the exact predicate Orient; all (lon, lat) in any planar
// coordinate system. It closes the outer border of a layer's coverage (see
// "The boundary rule" in the package doc).
func OnSegment(ax, ay, bx, by, px, py float64) bool {
	if px < min(ax, bx) || px > max(ax, bx) || py < min(ay, by) || py > max(ay, by) {
		return false
	}
	return Orient(ax, ay, bx, by, px, py) == 0
}
