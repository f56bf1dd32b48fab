package shard

import (
	"math"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Outline is the territory of one shard: its root-layer grids,
// (lon, lat) WGS84.
type Outline []orb.MultiPolygon

// Bound returns the bounding box of every grid of o; an empty outline has
// the zero bound.
func (o Outline) Bound() orb.Bound {
	var b orb.Bound
	for i, mp := range o {
		if i == 0 {
			b = mp.Bound()
			continue
		}
		b = b.Union(mp.Bound())
	}
	return b
}

// entry is one root grid in the R-tree: its shard and the grid.
type entry struct {
	shard int
	geom  orb.MultiPolygon
}

// Map tells which of several shards owns a point. It is immutable once
// made and safe for concurrent use.
type Map struct {
	tree   rtree.RTreeG[*entry]
	bounds []orb.Bound
}

// NewMap indexes the outlines, one per shard, in the order the shard
// numbers of Owner and Nearest refer to.
func NewMap(outlines []Outline) *Map {
	m := &Map{bounds: make([]orb.Bound, len(outlines))}
	for s, o := range outlines {
		m.bounds[s] = o.Bound()
		for _, mp := range o {
			b := mp.Bound()
			m.tree.Insert([2]float64{b.Min[0], b.Min[1]}, [2]float64{b.Max[0], b.Max[1]}, &entry{s, mp})
		}
	}
	return m
}

// Shards returns the number of shards of m.
func (m *Map) Shards() int { return len(m.bounds) }

// Owner returns the shard that owns p, (lon, lat) WGS84, by the rule of the
// package doc, or -1 when p lies in no shard's outline.
func (m *Map) Owner(p orb.Point) int {
	owner, edge := -1, -1
	m.tree.Search([2]float64{p[0], p[1]}, [2]float64{p[0], p[1]}, func(_, _ [2]float64, e *entry) bool {
		if geo.Contains(e.geom, p) {
			owner = e.shard
			return false
		}
		if edge < 0 && onBorder(e.geom, p) {
			edge = e.shard
		}
		return true
	})
	if owner >= 0 {
		return owner
	}
	return edge
}

// Nearest returns the shard whose outline's bounding box is nearest to p,
// (lon, lat) WGS84, in degrees (0 inside it); ties go to the lower shard
// number; -1 when m has no shard.
func (m *Map) Nearest(p orb.Point) int {
	best, bestD := -1, math.Inf(1)
	for s, b := range m.bounds {
		dx := max(b.Min[0]-p[0], 0, p[0]-b.Max[0])
		dy := max(b.Min[1]-p[1], 0, p[1]-b.Max[1])
		if d := dx*dx + dy*dy; d < bestD {
			best, bestD = s, d
		}
	}
	return best
}

// Near returns the shards whose outline's bounding box lies within metres
// of p, (lon, lat) WGS84, nearest first (at least the Nearest shard): the
// shards that may hold the nearest grid of a point in no outline.
func (m *Map) Near(p orb.Point, metres float64) []int {
	near := m.Nearest(p)
	if near < 0 {
		return nil
	}
	out := []int{near}
	// degrees of metres along a parallel at p (the larger of the two)
	deg := metres / metresPerDegree / max(math.Cos(p[1]*math.Pi/180), 0.01)
	for s, b := range m.bounds {
		if s != near && b.Pad(deg).Contains(p) {
			out = append(out, s)
		}
	}
	return out
}

// metresPerDegree is a degree of latitude, in metres (WGS84, mean).
const metresPerDegree = 111_320.0

// onBorder reports whether p lies exactly on an edge of a ring of mp.
func onBorder(mp orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range mp {
		for _, r := range poly {
			for i := 1; i < len(r); i++ {
				a, b := r[i-1], r[i]
				if geo.OnSegment(a[0], a[1], b[0], b[1], p[0], p[1]) {
					return true
				}
			}
		}
	}
	return false
}
