package index

import (
	"math"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// nearest returns the grid of layer l whose boundary is nearest to (lon,
// lat) within maxM metres, and the distance in metres; -1 when none is that
// near.
func (x *Index) nearest(l int, lon, lat, maxM float64) (int, float64) {
	li := x.layers[l]
	li.treeOnce.Do(func() { li.tree = buildTree(x.data.Layers[l]) })
	kx, ky := geo.MetresPerDegree(lat)
	dx, dy := maxM/kx, maxM/ky
	best, bestD := -1, math.Inf(1)
	grids := x.data.Layers[l].Grids
	li.tree.Search([2]float64{lon - dx, lat - dy}, [2]float64{lon + dx, lat + dy}, func(_, _ [2]float64, gi int) bool {
		if d := geo.DistanceToBoundary(grids[gi].Geom, orb.Point{lon, lat}); d < bestD || d == bestD && gi < best {
			best, bestD = gi, d
		}
		return true
	})
	if best < 0 || bestD > maxM {
		return -1, 0
	}
	return best, bestD
}

func buildTree(l *geo.Layer) *rtree.RTreeG[int] {
	t := &rtree.RTreeG[int]{}
	for i, g := range l.Grids {
		b := g.Bound()
		t.Insert(b.Min, b.Max, i)
	}
	return t
}
