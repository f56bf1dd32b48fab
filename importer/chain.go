package importer

import (
	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// segKey is an undirected segment with its lexicographically smaller end
// first.
type segKey [4]float64

// chain is a sum of directed segments: +1 for a→b when a < b, −1 for the
// reverse. The boundary chains of grids that tile their parent exactly sum
// to the parent's boundary chain.
type chain map[segKey]int32

func less(a, b orb.Point) bool { return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) }

// addRings adds the boundary of mp to c with sign s (+1 or −1).
func (c chain) add(mp orb.MultiPolygon, s int32) {
	for _, p := range mp {
		for _, r := range p {
			for i := 0; i+1 < len(r); i++ {
				a, b := r[i], r[i+1]
				if a == b {
					continue
				}
				if less(a, b) {
					c[segKey{a[0], a[1], b[0], b[1]}] += s
				} else {
					c[segKey{b[0], b[1], a[0], a[1]}] -= s
				}
			}
		}
	}
}

// zero reports whether every segment cancelled.
func (c chain) zero() bool {
	for _, v := range c {
		if v != 0 {
			return false
		}
	}
	return true
}

// tilesExactly reports whether children tile parent exactly, by the chain
// argument in the package doc: all grids are valid polygons oriented
// outer-CCW / holes-CW, so equal boundary chains mean equal winding
// numbers, which means no overlap, no gap and nothing outside. It may
// answer false for a correct tiling whose borders do not share vertices;
// the caller then measures with overlays.
func tilesExactly(c chain, parent *geo.Grid, children []*geo.Grid) bool {
	clear(c)
	c.add(parent.Geom, -1)
	for _, g := range children {
		c.add(g.Geom, 1)
	}
	return c.zero()
}
