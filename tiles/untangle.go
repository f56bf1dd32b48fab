package tiles

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
	"github.com/tidwall/rtree"
)

// untangleRounds bounds the repair of one zoom's arcs: each round simplifies
// the arcs still crossing something with a quarter of their tolerance, and
// the last gives them back every vertex.
const untangleRounds = 4

// untangle repairs the crossings that simplifying arcs one by one can make:
// Douglas–Peucker keeps each arc within its tolerance of the original but
// knows nothing of the other arcs, so a simplified arc may cut across a
// neighbouring arc, or across itself, and a ring drawn from it is then not
// a valid polygon. Every simplified arc (out[i] shorter than orig[i]) is
// tested against every segment near it; an arc involved in a proper
// crossing is simplified again from its original with a quarter of the
// tolerance, and after untangleRounds rounds restored whole. The original
// arcs do not cross (the importer checks validity and overlaps), so the
// repair ends with none, except where rounding to whole tile units makes two
// original segments that nearly touch cross. Coordinates are the unit Web
// Mercator square; tol is the Douglas–Peucker threshold in those units; the
// crossings are tested where the tiles put the points, rounded down to whole
// units of a square of scale units a side (extent × 2^zoom).
func untangle(orig, out [][]orb.Point, tol, scale float64) {
	tols := map[int]float64{}
	for round := 0; round <= untangleRounds; round++ {
		bad := crossingArcs(orig, out, scale)
		if len(bad) == 0 {
			return
		}
		for _, i := range bad {
			t, ok := tols[i]
			if !ok {
				t = tol
			}
			t /= 4
			tols[i] = t
			if round == untangleRounds {
				out[i] = orig[i]
				continue
			}
			s := simplify.DouglasPeucker(t).LineString(append(orb.LineString(nil), orig[i]...))
			if len(s) == len(orig[i]) {
				out[i] = orig[i]
			} else {
				out[i] = s
			}
		}
	}
}

// segRef names segment seg (from point seg to seg+1) of arc arc.
type segRef struct{ arc, seg int32 }

// crossingArcs returns the simplified arcs of out (those shorter than in
// orig) that properly cross a segment of another arc, or a segment of
// their own that is not next to the crossing one, with the points rounded
// down to whole units of a square of scale units a side.
func crossingArcs(orig, out [][]orb.Point, scale float64) []int {
	q := func(p orb.Point) orb.Point { return orb.Point{math.Floor(p[0] * scale), math.Floor(p[1] * scale)} }
	var changed []int
	var boxes rtree.RTreeG[int]
	for i, a := range out {
		if len(a) < len(orig[i]) {
			changed = append(changed, i)
			b := orb.LineString(a).Bound()
			boxes.Insert(b.Min, b.Max, i)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	// the segments of every arc whose box meets a simplified arc's box
	var segs rtree.RTreeG[segRef]
	for i, a := range out {
		if len(a) < 2 {
			continue
		}
		b := orb.LineString(a).Bound()
		near := false
		boxes.Search(b.Min, b.Max, func(_, _ [2]float64, _ int) bool {
			near = true
			return false
		})
		if !near {
			continue
		}
		for k := 0; k+1 < len(a); k++ {
			sb := orb.Bound{Min: a[k], Max: a[k]}.Extend(a[k+1])
			segs.Insert(sb.Min, sb.Max, segRef{int32(i), int32(k)})
		}
	}
	bad := map[int]bool{}
	for _, i := range changed {
		a := out[i]
		closed := len(a) > 2 && a[0] == a[len(a)-1]
		for k := 0; k+1 < len(a) && !bad[i]; k++ {
			p, e := a[k], a[k+1]
			sb := orb.Bound{Min: p, Max: p}.Extend(e)
			segs.Search(sb.Min, sb.Max, func(_, _ [2]float64, r segRef) bool {
				j, m := int(r.arc), int(r.seg)
				if j == i {
					d := k - m
					if d >= -1 && d <= 1 || closed && (k == 0 && m == len(a)-2 || m == 0 && k == len(a)-2) {
						return true // the segment itself or a neighbour
					}
				}
				b := out[j]
				if properCross(q(p), q(e), q(b[m]), q(b[m+1])) {
					bad[i] = true
					if len(out[j]) < len(orig[j]) {
						bad[j] = true
					}
					return false
				}
				return true
			})
		}
	}
	res := make([]int, 0, len(bad))
	for i := range bad {
		res = append(res, i)
	}
	return res
}

// properCross reports whether segments pq and rs cross at a point inside
// both (touching at an end or overlapping along a line does not count).
func properCross(p, q, r, s orb.Point) bool {
	o1 := orient(p, q, r)
	o2 := orient(p, q, s)
	o3 := orient(r, s, p)
	o4 := orient(r, s, q)
	return o1*o2 < 0 && o3*o4 < 0
}

// orient returns the sign of the turn a → b → c.
func orient(a, b, c orb.Point) float64 {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
