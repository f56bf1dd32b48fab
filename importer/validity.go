package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/internal/sfconv"
	"github.com/paulmach/orb"
)

// orient normalises ring orientation in place: outer rings counter-clockwise,
// holes clockwise, as geo.Grid documents.
func orient(mp orb.MultiPolygon) {
	for _, p := range mp {
		for i, r := range p {
			a := ringArea2(r)
			if (i == 0 && a < 0) || (i > 0 && a > 0) {
				r.Reverse()
			}
		}
	}
}

// ringArea2 is twice the signed planar area of r in its own units,
// positive when counter-clockwise.
func ringArea2(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	ox, oy := r[0][0], r[0][1]
	s := 0.0
	for i := 1; i+1 < len(r); i++ {
		s += (r[i][0]-ox)*(r[i+1][1]-oy) - (r[i+1][0]-ox)*(r[i][1]-oy)
	}
	return s
}

var sfLocation = regexp.MustCompile(`at or near \{?\(?([-0-9.eE+]+)[ ,]+([-0-9.eE+]+)`)

// checkValidity checks a feature's geometry for OGC validity and returns a
// problem naming the rule broken and its place, or nil.
func checkValidity(mp orb.MultiPolygon) (kind, msg string, where *[2]float64) {
	err := sfconv.MultiPolygon(mp).Validate()
	if err == nil {
		if msg, at := nestedHole(mp); msg != "" {
			return KindInvalidGeometry, msg, at
		}
		return "", "", nil
	}
	s := err.Error()
	if m := sfLocation.FindStringSubmatch(s); m != nil {
		x, e1 := strconv.ParseFloat(m[1], 64)
		y, e2 := strconv.ParseFloat(m[2], 64)
		if e1 == nil && e2 == nil {
			where = loc(x, y)
		}
	}
	switch {
	case strings.Contains(s, "ring not simple"):
		// simplefeatures names the ring's first vertex; find the crossing.
		pi, ri := ringIndex(s)
		if pi < len(mp) && ri < len(mp[pi]) {
			if p, ok := selfCrossing(mp[pi][ri]); ok {
				where = loc(p[0], p[1])
			}
		}
		return KindInvalidGeometry, fmt.Sprintf("invalid polygon: %s self-intersects", ringName(len(mp), pi, ri)), where
	case strings.Contains(s, "interior ring outside of exterior ring"):
		return KindHoleOutsideShell, "invalid polygon: hole lies outside its outer ring", where
	case strings.Contains(s, "rings intersect at multiple points"):
		return KindInvalidGeometry, "invalid polygon: a hole crosses or touches its outer ring (or another hole) along more than one point", where
	case strings.Contains(s, "nested rings"):
		return KindInvalidGeometry, "invalid polygon: a hole lies inside another hole", where
	case strings.Contains(s, "disconnected interior"):
		return KindInvalidGeometry, "invalid polygon: holes cut its interior into pieces", where
	case strings.Contains(s, "child polygons touch at multiple points"):
		return KindInvalidGeometry, "invalid MultiPolygon: its polygons overlap or share a border (merge them)", where
	case strings.Contains(s, "only one distinct XY"):
		return KindInvalidGeometry, "invalid polygon: a ring collapses to one point", where
	}
	return KindInvalidGeometry, "invalid polygon: " + s, where
}

var sfIndex = regexp.MustCompile(`(polygon|ring) at index (\d+)`)

// ringIndex extracts the polygon and ring indexes from a simplefeatures
// validation message.
func ringIndex(s string) (pi, ri int) {
	for _, m := range sfIndex.FindAllStringSubmatch(s, -1) {
		n, _ := strconv.Atoi(m[2])
		if m[1] == "polygon" {
			pi = n
		} else {
			ri = n
		}
	}
	return pi, ri
}

// selfCrossing returns a point where two non-adjacent segments of ring r
// meet (or adjacent ones fold back over each other). It is quadratic and
// used only on rings already known to be invalid.
func selfCrossing(r orb.Ring) (orb.Point, bool) {
	n := len(r) - 1 // segments of a closed ring
	for i := 0; i < n; i++ {
		a, b := r[i], r[i+1]
		minx, maxx := min(a[0], b[0]), max(a[0], b[0])
		miny, maxy := min(a[1], b[1]), max(a[1], b[1])
		for j := i + 1; j < n; j++ {
			c, d := r[j], r[j+1]
			if max(c[0], d[0]) < minx || min(c[0], d[0]) > maxx || max(c[1], d[1]) < miny || min(c[1], d[1]) > maxy {
				continue
			}
			adjacent := j == i+1 || (i == 0 && j == n-1)
			if p, ok := segmentsMeet(a, b, c, d, adjacent); ok {
				return p, true
			}
		}
	}
	return orb.Point{}, false
}

// segmentsMeet reports where segments ab and cd meet. Adjacent segments
// always share an end point, so for them only a collinear overlap counts.
func segmentsMeet(a, b, c, d orb.Point, adjacent bool) (orb.Point, bool) {
	d1 := cross(c, d, a)
	d2 := cross(c, d, b)
	d3 := cross(a, b, c)
	d4 := cross(a, b, d)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		t := d1 / (d1 - d2)
		return orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}, true
	}
	if adjacent {
		if d1 == 0 && d2 == 0 { // collinear: folded back?
			shared := b
			if a == c || a == d {
				shared = a
			}
			other1, other2 := a, c
			if shared == a {
				other1 = b
			}
			if shared == c {
				other2 = d
			}
			if (other1[0]-shared[0])*(other2[0]-shared[0])+(other1[1]-shared[1])*(other2[1]-shared[1]) > 0 {
				return shared, true
			}
		}
		return orb.Point{}, false
	}
	// Touching: an end point on the other segment.
	for _, q := range []struct {
		p      orb.Point
		o      float64
		s0, s1 orb.Point
	}{{a, d1, c, d}, {b, d2, c, d}, {c, d3, a, b}, {d, d4, a, b}} {
		if q.o == 0 && onSegment(q.s0, q.s1, q.p) {
			return q.p, true
		}
	}
	return orb.Point{}, false
}

func cross(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

func onSegment(a, b, p orb.Point) bool {
	return p[0] >= min(a[0], b[0]) && p[0] <= max(a[0], b[0]) && p[1] >= min(a[1], b[1]) && p[1] <= max(a[1], b[1])
}
