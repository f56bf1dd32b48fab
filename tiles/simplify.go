package tiles

import (
	"math"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// zoomArcs lazily holds the arcs of one layer simplified for every zoom.
// Each zoom is computed at most once (on first use) and is then read-only.
type zoomArcs struct {
	topo      *topology
	tolerance float64 // in tile extent units; 0 = no simplification
	extent    float64
	once      [MaxZoom + 1]sync.Once
	arcs      [MaxZoom + 1][][]orb.Point
}

// at returns the arcs simplified for zoom z. An arc that loses no vertex is
// shared with the topology, not copied. Ends of arcs (nodes) are never
// moved or dropped, so neighbours, which reference the same arcs, keep
// identical borders.
func (za *zoomArcs) at(z int) [][]orb.Point {
	za.once[z].Do(func() {
		if za.tolerance <= 0 {
			za.arcs[z] = za.topo.arcs
			return
		}
		// Douglas–Peucker is scale invariant: simplify in the unit square
		// with the tolerance divided by the zoom's pixels per unit.
		tol := za.tolerance / (za.extent * math.Exp2(float64(z)))
		dp := simplify.DouglasPeucker(tol)
		out := make([][]orb.Point, len(za.topo.arcs))
		var buf orb.LineString
		for i, a := range za.topo.arcs {
			if len(a) <= 2 {
				out[i] = a
				continue
			}
			buf = append(buf[:0], a...) // the simplifier works in place
			s := dp.LineString(buf)
			if len(s) == len(a) {
				out[i] = a
				continue
			}
			out[i] = append([]orb.Point(nil), s...)
		}
		untangle(za.topo.arcs, out, tol, za.extent*math.Exp2(float64(z)))
		za.arcs[z] = out
	})
	return za.arcs[z]
}
