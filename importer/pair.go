package importer

import (
	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// mayOverlap is the cheap exact pre-check for two grids whose bounding
// boxes meet. It answers false only when their interiors are proven
// disjoint: no vertex of one (other than a shared vertex) lies inside or on
// the other, no edges cross, and every edge of one that is not also an edge
// of the other has its midpoint outside the other. Neighbours that share
// their border vertex for vertex pass in time linear in their edges times
// the other's edges; anything else is handed to the overlay.
func mayOverlap(a, b *gridSets) bool {
	ba, bb := a.bound, b.bound
	if !ba.Intersects(bb) {
		return false
	}
	va, sa := a.v, a.s
	vb, sb := b.v, b.s
	if len(va) == len(vb) {
		same := true
		for v := range va {
			if !vb[v] {
				same = false
				break
			}
		}
		if same {
			return true // same vertices: identical or nearly so
		}
	}
	if suspicious(a.mp, b.mp, vb, sb, bb) || suspicious(b.mp, a.mp, va, sa, ba) {
		return true
	}
	return edgesCross(a.mp, b.mp, orb.Bound{Min: orb.Point{max(ba.Min[0], bb.Min[0]), max(ba.Min[1], bb.Min[1])}, Max: orb.Point{min(ba.Max[0], bb.Max[0]), min(ba.Max[1], bb.Max[1])}})
}

// gridSets holds a grid's vertices and segments for mayOverlap.
type gridSets struct {
	mp    orb.MultiPolygon
	bound orb.Bound
	v     map[orb.Point]bool
	s     map[segKey]bool
}

func newGridSets(mp orb.MultiPolygon) *gridSets {
	return &gridSets{mp: mp, bound: mp.Bound(), v: vertexSet(mp), s: segSet(mp)}
}

// suspicious tests the vertices and edge midpoints of x against y.
func suspicious(x, y orb.MultiPolygon, yv map[orb.Point]bool, ys map[segKey]bool, yb orb.Bound) bool {
	for _, p := range x {
		for _, r := range p {
			for i := 0; i+1 < len(r); i++ {
				v := r[i]
				if !yv[v] && yb.Contains(v) && insideOrOn(y, v) {
					return true
				}
				w := r[i+1]
				if v == w || ys[key(v, w)] {
					continue
				}
				m := orb.Point{(v[0] + w[0]) / 2, (v[1] + w[1]) / 2}
				if yb.Contains(m) && insideOrOn(y, m) {
					return true
				}
			}
		}
	}
	return false
}

func key(a, b orb.Point) segKey {
	if less(a, b) {
		return segKey{a[0], a[1], b[0], b[1]}
	}
	return segKey{b[0], b[1], a[0], a[1]}
}

func vertexSet(mp orb.MultiPolygon) map[orb.Point]bool {
	m := map[orb.Point]bool{}
	for _, p := range mp {
		for _, r := range p {
			for _, v := range r {
				m[v] = true
			}
		}
	}
	return m
}

func segSet(mp orb.MultiPolygon) map[segKey]bool {
	m := map[segKey]bool{}
	for _, p := range mp {
		for _, r := range p {
			for i := 0; i+1 < len(r); i++ {
				m[key(r[i], r[i+1])] = true
			}
		}
	}
	return m
}

// insideOrOn reports whether p lies in the interior of mp or on its
// boundary.
func insideOrOn(mp orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range mp {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				a, b := r[i], r[i+1]
				// the box first: geo.Orient of a point at an end of the
				// segment takes its slow exact path
				if p == a || p == b || onSegment(a, b, p) && geo.Orient(a[0], a[1], b[0], b[1], p[0], p[1]) == 0 {
					return true
				}
			}
		}
	}
	return geo.Contains(mp, p)
}

// edgesCross reports whether an edge of a properly crosses an edge of b;
// only edges meeting box are compared.
func edgesCross(a, b orb.MultiPolygon, box orb.Bound) bool {
	type seg struct{ p, q orb.Point }
	var sb []seg
	for _, poly := range b {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				s := seg{r[i], r[i+1]}
				if segBound(s.p, s.q).Intersects(box) {
					sb = append(sb, s)
				}
			}
		}
	}
	for _, poly := range a {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				p, q := r[i], r[i+1]
				bd := segBound(p, q)
				if !bd.Intersects(box) {
					continue
				}
				for _, s := range sb {
					if !bd.Intersects(segBound(s.p, s.q)) || sharesEnd(p, q, s.p, s.q) {
						continue
					}
					o1 := geo.Orient(p[0], p[1], q[0], q[1], s.p[0], s.p[1])
					o2 := geo.Orient(p[0], p[1], q[0], q[1], s.q[0], s.q[1])
					o3 := geo.Orient(s.p[0], s.p[1], s.q[0], s.q[1], p[0], p[1])
					o4 := geo.Orient(s.p[0], s.p[1], s.q[0], s.q[1], q[0], q[1])
					if o1*o2 < 0 && o3*o4 < 0 {
						return true
					}
				}
			}
		}
	}
	return false
}

// sharesEnd reports whether segments p–q and a–b have an end in common:
// then they meet there and cannot cross properly, and geo.Orient of an end
// against the other segment would take its slow exact path.
func sharesEnd(p, q, a, b orb.Point) bool {
	return p == a || p == b || q == a || q == b
}

func segBound(p, q orb.Point) orb.Bound {
	return orb.Bound{Min: orb.Point{min(p[0], q[0]), min(p[1], q[1])}, Max: orb.Point{max(p[0], q[0]), max(p[1], q[1])}}
}
