package importer

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// nestedHole finds a hole lying inside another hole of the same polygon,
// which simplefeatures' validation misses when both holes start at the same
// vertex (its nesting test looks at the first vertex, which lies on both;
// no release fixes it). It is meant for geometry that validation passed, so
// holes do not cross: a vertex of one hole strictly inside another then
// means the first lies inside the second. It returns the problem's message
// and that vertex, or "" and nil. Coordinates are (lon, lat) degrees.
func nestedHole(mp orb.MultiPolygon) (string, *[2]float64) {
	for pi, p := range mp {
		if len(p) < 3 {
			continue
		}
		for i := 1; i < len(p); i++ {
			bi := p[i].Bound()
			for j := 1; j < len(p); j++ {
				if i == j || !p[j].Bound().Contains(bi.Min) || !p[j].Bound().Contains(bi.Max) {
					continue
				}
				if v, ok := vertexInside(p[i], p[j]); ok {
					msg := fmt.Sprintf("invalid polygon: %s lies inside %s", ringName(len(mp), pi, i), ringName(1, 0, j))
					return msg, loc(v[0], v[1])
				}
			}
		}
	}
	return "", nil
}

// vertexInside returns a vertex of ring a strictly inside ring b: inside
// it and on none of its edges.
func vertexInside(a, b orb.Ring) (orb.Point, bool) {
	for _, v := range a {
		if planar.RingContains(b, v) && !onRing(b, v) {
			return v, true
		}
	}
	return orb.Point{}, false
}

// onRing reports whether p lies on an edge of r (within rounding of the
// coordinates' last bits).
func onRing(r orb.Ring, p orb.Point) bool {
	for k := 0; k+1 < len(r); k++ {
		if planar.DistanceFromSegmentSquared(r[k], r[k+1], p) < 1e-24 {
			return true
		}
	}
	return false
}
