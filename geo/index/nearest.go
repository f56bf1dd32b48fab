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

// appendNearest appends the chain of a point (lon, lat), WGS84, that no
// grid of the finest layer leaf covers, with the nearest fallback: the
// finest layer that covers it is fl (-1: none), its grid fg. The nearest
// grid of leaf within maxM metres, if any, comes first, marked Nearest with
// its distance; the chain above it is the covering grid fg's, not the
// nearest grid's parents, which may differ (a building across a grid's
// border from the point). When no layer covers the point, the chain is the
// nearest grid's, each hit marked Nearest: of leaf, else (a partial leaf,
// such as buildings, far from the point) of the first coarser layer with a
// grid within maxM.
func (x *Index) appendNearest(dst []Hit, leaf, fl, fg int, lon, lat, maxM float64) []Hit {
	start := len(dst)
	if fl >= 0 {
		if g, d := x.nearest(leaf, lon, lat, maxM); g >= 0 {
			dst = append(dst, Hit{})
			setHit(&dst[start], int32(leaf), int32(g))
			dst[start].Nearest = true
			dst[start].DistanceM = float32(d)
		}
		return x.appendAncestors(dst, fl, fg)
	}
	for l := leaf; l >= 0; l = x.layers[l].parentLayer {
		g, d := x.nearest(l, lon, lat, maxM)
		if g < 0 {
			continue
		}
		dst = x.appendAncestors(dst, l, g)
		for i := start; i < len(dst); i++ {
			dst[i].Nearest = true
			dst[i].DistanceM = float32(d)
		}
		break
	}
	return dst
}
