package tiles

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Clipping a concave ring to the buffered tile box with orb/clip
// (Sutherland–Hodgman) joins the pieces of the ring inside the box by runs
// along the box's sides; where the ring leaves and re-enters the box more
// than once those runs overlap or touch each other, and the ring is no
// longer simple (in the buffer, outside the visible tile, but still not a
// valid polygon). clipRingToBox clips such a ring as Weiler and Atherton
// do for a convex window: it keeps the pieces of the ring inside the box
// (their vertices untouched, so borders shared with neighbours stay shared)
// and closes each along the box's sides to the next piece in the ring's
// direction of turn, giving one simple ring per part.

// frameTangled reports whether a clipped ring of tile coordinates touches or
// overlaps itself on the sides of the box [lo, hi]²: a vertex repeated, or a
// vertex of the ring inside a run of the ring along the same side.
func frameTangled(r orb.Ring, lo, hi float64) bool {
	n := len(r) - 1 // r is closed
	if n < 3 {
		return false
	}
	on := func(p orb.Point) bool { return p[0] == lo || p[0] == hi || p[1] == lo || p[1] == hi }
	// the vertices on a side are few: compared pairwise, on the stack
	var buf [32]int
	frame := buf[:0]
	for i := 0; i < n; i++ {
		if !on(r[i]) {
			continue
		}
		for _, j := range frame {
			if r[j] == r[i] {
				return true
			}
		}
		frame = append(frame, i)
	}
	for _, i := range frame {
		a, b := r[i], r[(i+1)%n]
		var axis int
		var c float64
		switch {
		case a[0] == b[0] && (a[0] == lo || a[0] == hi):
			axis, c = 0, a[0]
		case a[1] == b[1] && (a[1] == lo || a[1] == hi):
			axis, c = 1, a[1]
		default:
			continue
		}
		o := 1 - axis
		s0, s1 := math.Min(a[o], b[o]), math.Max(a[o], b[o])
		for _, j := range frame {
			if j == i || j == (i+1)%n {
				continue
			}
			if p := r[j]; p[axis] == c && p[o] > s0 && p[o] < s1 {
				return true
			}
		}
	}
	return false
}

// boxChain is a piece of a ring inside the box: from the point where the
// ring enters the box to the point where it leaves it, with the positions of
// both along the box's boundary.
type boxChain struct {
	pts       []orb.Point
	tIn, tOut float64
	used      bool
}

// clipRingToBox returns the parts of ring r (closed, tile coordinates)
// inside the box [lo, hi]², each a closed ring turning the way r turns; nil
// when nothing of r is inside. ok is false when r has no area.
func clipRingToBox(r orb.Ring, lo, hi float64) (parts []orb.Ring, ok bool) {
	n := len(r) - 1
	if n < 3 {
		return nil, false
	}
	area := area2(r)
	if area == 0 {
		return nil, false
	}
	ccw := area > 0
	inside := func(p orb.Point) bool { return p[0] >= lo && p[0] <= hi && p[1] >= lo && p[1] <= hi }
	start := -1
	for i := 0; i < n; i++ {
		if !inside(r[i]) {
			start = i
			break
		}
	}
	if start < 0 {
		return []orb.Ring{r}, true
	}
	side := hi - lo
	// pos is the position of a boundary point along the boundary, counter-
	// clockwise in the (x, y) plane from (lo, lo).
	pos := func(p orb.Point) float64 {
		switch {
		case p[1] == lo:
			return p[0] - lo
		case p[0] == hi:
			return side + p[1] - lo
		case p[1] == hi:
			return 2*side + hi - p[0]
		}
		return 3*side + hi - p[1]
	}
	var chains []*boxChain
	var cur *boxChain
	for k := 0; k < n; k++ {
		p, q := r[(start+k)%n], r[(start+k+1)%n]
		t0, t1, vis := segmentInBox(p, q, lo, hi)
		if !vis {
			continue
		}
		if cur == nil {
			// the ring is outside before this segment: t0 > 0 or p lies on
			// the boundary; either way the segment enters here
			e := pointAt(p, q, t0, lo, hi)
			cur = &boxChain{pts: []orb.Point{e}, tIn: pos(e)}
		}
		if t1 < 1 || !inside(q) {
			x := pointAt(p, q, t1, lo, hi)
			if x != cur.pts[len(cur.pts)-1] {
				cur.pts = append(cur.pts, x)
			}
			cur.tOut = pos(x)
			if len(cur.pts) > 1 {
				chains = append(chains, cur)
			}
			cur = nil
			continue
		}
		cur.pts = append(cur.pts, q)
	}
	if cur != nil {
		// cannot happen: the walk starts and so ends outside
		return nil, false
	}
	if len(chains) == 0 {
		// r misses the box, or surrounds it
		c := orb.Point{(lo + hi) / 2, (lo + hi) / 2}
		if !ringContains(r, c) {
			return nil, true
		}
		box := orb.Ring{{lo, lo}, {hi, lo}, {hi, hi}, {lo, hi}, {lo, lo}}
		if !ccw {
			box = orb.Ring{{lo, lo}, {lo, hi}, {hi, hi}, {hi, lo}, {lo, lo}}
		}
		return []orb.Ring{box}, true
	}
	perim := 4 * side
	// dist is how far one walks from a to b along the boundary in the
	// ring's direction of turn.
	dist := func(a, b float64) float64 {
		d := b - a
		if !ccw {
			d = -d
		}
		d = math.Mod(d, perim)
		if d < 0 {
			d += perim
		}
		return d
	}
	for _, c0 := range chains {
		if c0.used {
			continue
		}
		ring := orb.Ring{}
		c := c0
		for guard := 0; guard <= len(chains); guard++ {
			c.used = true
			ring = append(ring, c.pts...)
			// the next entry along the boundary
			var next *boxChain
			best := math.Inf(1)
			for _, o := range chains {
				if o.used && o != c0 {
					continue
				}
				if d := dist(c.tOut, o.tIn); d < best {
					best, next = d, o
				}
			}
			if next == nil {
				return nil, false
			}
			// the corners passed on the way
			ring = appendCorners(ring, c.tOut, best, ccw, lo, hi)
			if next == c0 {
				break
			}
			c = next
		}
		ring = append(ring, ring[0])
		parts = append(parts, ring)
	}
	return parts, true
}

// appendCorners appends the corners of the box [lo, hi]² met, in order,
// when walking distance d along its boundary from position t
// (counter-clockwise from (lo, lo) when ccw, else clockwise).
func appendCorners(ring orb.Ring, t, d float64, ccw bool, lo, hi float64) orb.Ring {
	side := hi - lo
	perim := 4 * side
	corners := [4]orb.Point{{lo, lo}, {hi, lo}, {hi, hi}, {lo, hi}} // at 0, side, 2side, 3side
	type hit struct {
		d float64
		p orb.Point
	}
	var hits []hit
	for k, c := range corners {
		delta := float64(k)*side - t
		if !ccw {
			delta = -delta
		}
		delta = math.Mod(delta, perim)
		if delta < 0 {
			delta += perim
		}
		if delta > 0 && delta < d {
			hits = append(hits, hit{delta, c})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int { return cmp.Compare(a.d, b.d) })
	for _, h := range hits {
		ring = append(ring, h.p)
	}
	return ring
}

// segmentInBox clips segment pq to the box by Liang–Barsky: the visible part
// is p + t(q - p) for t in [t0, t1]; vis is false when nothing of it, or a
// single point, is inside.
func segmentInBox(p, q orb.Point, lo, hi float64) (t0, t1 float64, vis bool) {
	t0, t1 = 0, 1
	dx, dy := q[0]-p[0], q[1]-p[1]
	for _, c := range [4][2]float64{{-dx, p[0] - lo}, {dx, hi - p[0]}, {-dy, p[1] - lo}, {dy, hi - p[1]}} {
		pp, qq := c[0], c[1]
		if pp == 0 {
			if qq < 0 {
				return 0, 0, false
			}
			continue
		}
		t := qq / pp
		if pp < 0 {
			if t > t1 {
				return 0, 0, false
			}
			t0 = math.Max(t0, t)
		} else {
			if t < t0 {
				return 0, 0, false
			}
			t1 = math.Min(t1, t)
		}
	}
	return t0, t1, t1 > t0
}

// pointAt returns p + t(q - p), exactly p or q at the ends, snapped onto the
// box side it lies on, and computed from the segment's ends in a fixed
// order so that the two rings sharing the segment get the same point.
func pointAt(p, q orb.Point, t, lo, hi float64) orb.Point {
	if t <= 0 {
		return p
	}
	if t >= 1 {
		return q
	}
	a, b := p, q
	if b[0] < a[0] || b[0] == a[0] && b[1] < a[1] {
		a, b = b, a
		t = 1 - t
	}
	x := orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
	// on which side: the coordinate nearest a side is set to it
	best, bi, bv := math.Inf(1), 0, 0.0
	for i, v := range [4]float64{lo, hi, lo, hi} {
		if d := math.Abs(x[i/2] - v); d < best {
			best, bi, bv = d, i/2, v
		}
	}
	x[bi] = bv
	x[0] = math.Min(math.Max(x[0], lo), hi)
	x[1] = math.Min(math.Max(x[1], lo), hi)
	return x
}

// ringContains reports whether p lies inside closed ring r (even–odd).
func ringContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < a[0]+(p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
			in = !in
		}
	}
	return in
}

// reclip renders polygon tp clipped with clipRingToBox instead of orb/clip:
// its outer ring cut into simple parts, its holes (which must lie wholly in
// the box) given to the part around them. ok is false when it cannot (a
// hole crosses the box's side), and the caller keeps orb/clip's rings.
func (t *tileFrame) reclip(tp topoPolygon, arcs [][]orb.Point) ([]orb.Polygon, bool) {
	lo, hi := t.box.Min[0], t.box.Max[0]
	outer, _ := t.rawRing(tp[0], arcs)
	var holes []orb.Ring
	for _, tr := range tp[1:] {
		h, b := t.rawRing(tr, arcs)
		if len(h) < 4 || !b.Intersects(t.box) {
			continue
		}
		if !t.box.Contains(b.Min) || !t.box.Contains(b.Max) {
			return nil, false
		}
		if c := clean(h, false); c != nil {
			holes = append(holes, c)
		}
	}
	rings, ok := clipRingToBox(outer, lo, hi)
	if !ok {
		return nil, false
	}
	var out []orb.Polygon
	for _, r := range rings {
		if c := clean(r, true); c != nil {
			out = append(out, orb.Polygon{c})
		}
	}
	for _, h := range holes {
		placed := false
		for i := range out {
			if ringContains(out[i][0], h[0]) || ringContains(out[i][0], orb.Point{(h[0][0] + h[1][0]) / 2, (h[0][1] + h[1][1]) / 2}) {
				out[i] = append(out[i], h)
				placed = true
				break
			}
		}
		if !placed {
			return nil, false
		}
	}
	return out, true
}

// splitLoops cuts a closed ring that passes through a vertex twice (a touch
// that rounding to whole tile units can make) into closed loops that each
// pass through every vertex once.
func splitLoops(r orb.Ring) []orb.Ring {
	n := len(r) - 1
	seen := make(map[orb.Point]int, n)
	for j := 0; j < n; j++ {
		i, dup := seen[r[j]]
		if !dup {
			seen[r[j]] = j
			continue
		}
		loop := append(orb.Ring(nil), r[i:j+1]...)
		rest := append(append(orb.Ring(nil), r[:i]...), r[j:]...)
		return append(splitLoops(loop), splitLoops(rest)...)
	}
	return []orb.Ring{r}
}

// simplePolygons returns poly (outer ring first, tile units, as clean
// leaves them) as polygons whose rings pass through no vertex twice: a ring
// that touches itself on the box's sides is noded there and cut into loops; a loop turning the outer ring's way is a
// part of its own, one turning the other way a hole, and every hole goes to
// the part around it.
func simplePolygons(poly orb.Polygon, lo, hi float64) []orb.Polygon {
	twice := false
	for i, r := range poly {
		// only rings that meet themselves on the box's sides are looked
		// at: elsewhere the arcs are simple and rounding keeps them apart
		if frameTangled(r, lo, hi) {
			poly[i] = nodeFrame(r, lo, hi)
			twice = true
		}
	}
	if !twice {
		return []orb.Polygon{poly}
	}
	var parts []orb.Polygon
	var holes []orb.Ring
	for ri, r := range poly {
		for _, l := range splitLoops(r) {
			if len(l) < 4 {
				continue
			}
			a := area2(l)
			switch {
			case a == 0:
			case a > 0 && ri == 0:
				parts = append(parts, orb.Polygon{l})
			default:
				if a > 0 {
					slices.Reverse(l)
				}
				holes = append(holes, l)
			}
		}
	}
	for _, h := range holes {
		m := orb.Point{(h[0][0] + h[1][0]) / 2, (h[0][1] + h[1][1]) / 2}
		for i := range parts {
			if ringContains(parts[i][0], m) {
				parts[i] = append(parts[i], h)
				break
			}
		}
	}
	return parts
}

// nodeFrame returns r with every vertex of r that lies inside a run of r
// along a side of the box [lo, hi]² inserted into that run, so that a ring
// touching itself there passes through the touching point twice (and
// splitLoops can cut it there).
func nodeFrame(r orb.Ring, lo, hi float64) orb.Ring {
	n := len(r) - 1
	var frame []orb.Point
	for _, p := range r[:n] {
		if p[0] == lo || p[0] == hi || p[1] == lo || p[1] == hi {
			frame = append(frame, p)
		}
	}
	out := make(orb.Ring, 0, len(r)+len(frame))
	for i := 0; i < n; i++ {
		a, b := r[i], r[i+1]
		out = append(out, a)
		var axis int
		switch {
		case a[0] == b[0] && (a[0] == lo || a[0] == hi):
			axis = 0
		case a[1] == b[1] && (a[1] == lo || a[1] == hi):
			axis = 1
		default:
			continue
		}
		o := 1 - axis
		var mids []orb.Point
		for _, p := range frame {
			if p[axis] == a[axis] && (p[o]-a[o])*(p[o]-b[o]) < 0 {
				mids = append(mids, p)
			}
		}
		slices.SortFunc(mids, func(p, q orb.Point) int { return cmp.Compare(math.Abs(p[o]-a[o]), math.Abs(q[o]-a[o])) })
		mids = slices.Compact(mids)
		out = append(out, mids...)
	}
	return append(out, out[0])
}
