package importer

import (
	"math"
	"slices"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// shell is one polygon of a parent grid prepared for the exact "wholly
// inside" test of many small children: its outer ring's edges bucketed by
// latitude band, so that a test touches only the edges near the child.
// Coordinates are WGS84 (lon, lat) as imported; every predicate is exact
// (geo.Orient).
type shell struct {
	bound orb.Bound
	holes []orb.Bound // bounds of the polygon's holes
	y0    float64     // latitude of band 0's south edge
	dy    float64     // band height, degrees (> 0)
	bands [][]edge    // edges whose latitude range meets each band
}

// edge is one edge of a shell's outer ring.
type edge struct{ a, b orb.Point }

// edgesPerBand is the mean number of edges a band is sized for: a point
// test then reads a few dozen edges instead of a grid's hundreds.
const edgesPerBand = 8

// newShell prepares polygon p (outer ring first, then holes).
func newShell(p orb.Polygon) *shell {
	outer := p[0]
	sh := &shell{bound: outer.Bound()}
	for _, h := range p[1:] {
		sh.holes = append(sh.holes, h.Bound())
	}
	n := max(1, len(outer)/edgesPerBand)
	sh.y0 = sh.bound.Min[1]
	sh.dy = (sh.bound.Max[1] - sh.bound.Min[1]) / float64(n)
	if !(sh.dy > 0) {
		sh.dy, n = 1, 1
	}
	sh.bands = make([][]edge, n)
	for i := 0; i+1 < len(outer); i++ {
		a, b := outer[i], outer[i+1]
		if a == b {
			continue
		}
		for k := sh.band(min(a[1], b[1])); k <= sh.band(max(a[1], b[1])); k++ {
			sh.bands[k] = append(sh.bands[k], edge{a, b})
		}
	}
	return sh
}

// band returns the band of latitude y, clamped to the shell's bands. It is
// monotone in y, so an edge spanning [y1, y2] is in every band of a y
// between them.
func (sh *shell) band(y float64) int {
	k := int(math.Floor((y - sh.y0) / sh.dy))
	return min(max(k, 0), len(sh.bands)-1)
}

// insideOrOn reports whether p lies inside the shell's outer ring or on it.
func (sh *shell) insideOrOn(p orb.Point) bool {
	if !sh.bound.Contains(p) {
		return false
	}
	in := false
	for _, e := range sh.bands[sh.band(p[1])] {
		if p == e.a || p == e.b || geo.OnSegment(e.a[0], e.a[1], e.b[0], e.b[1], p[0], p[1]) {
			return true
		}
		a, b := e.a, e.b
		if a[1] > b[1] {
			a, b = b, a
		}
		// half-open in latitude, p strictly west of the upward edge: a
		// point not on the ring is inside when it crosses an odd count
		if a[1] <= p[1] && p[1] < b[1] && geo.Orient(a[0], a[1], b[0], b[1], p[0], p[1]) > 0 {
			in = !in
		}
	}
	return in
}

// containsRing reports whether ring r (closed) lies wholly inside the
// shell's outer ring or on it, exactly: every vertex inside or on, no edge
// of r properly crossing an edge of the ring, and each piece of an edge of
// r between the ring's vertices that lie on it either along an edge of the
// ring or inside at its midpoint (a piece between two touching points is
// wholly in, wholly out or wholly on). A ring inside the closed outer ring
// of a simple polygon encloses only points of it, so its polygon lies
// inside too.
func (sh *shell) containsRing(r orb.Ring) bool {
	var cuts []float64
	var along [][2]float64
	for i := 0; i+1 < len(r); i++ {
		p, q := r[i], r[i+1]
		if !sh.insideOrOn(p) {
			return false
		}
		if p == q {
			continue
		}
		cuts, along = cuts[:0], along[:0]
		lo, hi := sh.band(min(p[1], q[1])), sh.band(max(p[1], q[1]))
		for k := lo; k <= hi; k++ {
			for _, e := range sh.bands[k] {
				if properCross(p, q, e.a, e.b) {
					return false
				}
				for _, v := range [2]orb.Point{e.a, e.b} {
					if v != p && v != q && geo.OnSegment(p[0], p[1], q[0], q[1], v[0], v[1]) {
						cuts = append(cuts, param(p, q, v))
					}
				}
				if collinear(p, q, e.a, e.b) {
					ta, tb := param(p, q, e.a), param(p, q, e.b)
					along = append(along, [2]float64{min(ta, tb), max(ta, tb)})
				}
			}
		}
		if !sh.piecesInside(p, q, cuts, along) {
			return false
		}
	}
	return true
}

// piecesInside tests each piece of the segment p–q cut at the parameters
// cuts (0 < t < 1, in any order, repeats allowed): a piece that lies along
// an edge of the ring (its middle parameter within an interval of along)
// is on it; another is tested at its midpoint. The midpoint is rounded, so
// only a piece off the ring may be judged by it.
func (sh *shell) piecesInside(p, q orb.Point, cuts []float64, along [][2]float64) bool {
	slices.Sort(cuts)
	prev := 0.0
	for _, t := range append(cuts, 1) {
		if t <= prev {
			continue
		}
		m := (prev + t) / 2
		prev = t
		if slices.ContainsFunc(along, func(iv [2]float64) bool { return iv[0] <= m && m <= iv[1] }) {
			continue
		}
		if !sh.insideOrOn(orb.Point{p[0] + m*(q[0]-p[0]), p[1] + m*(q[1]-p[1])}) {
			return false
		}
	}
	return true
}

// collinear reports whether a and b both lie on the line through p and q,
// exactly.
func collinear(p, q, a, b orb.Point) bool {
	return onLine(p, q, a) && onLine(p, q, b)
}

// onLine reports whether c lies on the line through p and q, exactly (an
// end is answered at once: geo.Orient takes its slow exact path there).
func onLine(p, q, c orb.Point) bool {
	return c == p || c == q || geo.Orient(p[0], p[1], q[0], q[1], c[0], c[1]) == 0
}

// param returns where v lies on the segment p–q, 0 at p and 1 at q.
func param(p, q, v orb.Point) float64 {
	if math.Abs(q[0]-p[0]) >= math.Abs(q[1]-p[1]) {
		return (v[0] - p[0]) / (q[0] - p[0])
	}
	return (v[1] - p[1]) / (q[1] - p[1])
}

// properCross reports whether segments p–q and a–b cross at one point
// interior to both, exactly.
func properCross(p, q, a, b orb.Point) bool {
	if !sharesEnd(p, q, a, b) && segBound(p, q).Intersects(segBound(a, b)) {
		o1 := geo.Orient(p[0], p[1], q[0], q[1], a[0], a[1])
		o2 := geo.Orient(p[0], p[1], q[0], q[1], b[0], b[1])
		o3 := geo.Orient(a[0], a[1], b[0], b[1], p[0], p[1])
		o4 := geo.Orient(a[0], a[1], b[0], b[1], q[0], q[1])
		return o1*o2 < 0 && o3*o4 < 0
	}
	return false
}

// enclosure is a parent grid prepared for the exact inside test.
type enclosure []*shell

// newEnclosure prepares parent geometry mp.
func newEnclosure(mp orb.MultiPolygon) enclosure {
	e := make(enclosure, 0, len(mp))
	for _, p := range mp {
		if len(p) > 0 && len(p[0]) > 0 {
			e = append(e, newShell(p))
		}
	}
	return e
}

// contains reports whether child geometry mp lies wholly inside the
// parent, by the exact test of shell.containsRing. It answers false, to
// be measured by an overlay, also when a polygon of the child is near
// more than one polygon of the parent or near one of its holes (there the
// one-shell test does not decide); it never answers true for a child that
// reaches outside.
func (e enclosure) contains(mp orb.MultiPolygon) bool {
	for _, p := range mp {
		if len(p) == 0 {
			continue
		}
		b := p[0].Bound()
		var only *shell
		for _, sh := range e {
			if !sh.bound.Intersects(b) {
				continue
			}
			if only != nil {
				return false
			}
			only = sh
		}
		if only == nil || slices.ContainsFunc(only.holes, b.Intersects) || !only.containsRing(p[0]) {
			return false
		}
	}
	return true
}
