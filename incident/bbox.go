package incident

import (
	"math"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/version"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
)

// BBoxGrids is the most grid codes a bbox listing walks (Filter.Grids):
// the finest layer at which the box meets at most this many grids gives
// them; a box meeting more grids of the coarsest layer walks the incidents
// newest first instead, which is fast for such a box (it holds many).
const BBoxGrids = 64

// coverSlack is the share of a grid's area its children may leave
// uncovered (float noise of summed areas) for the grid to count as tiled.
const coverSlack = 1e-6

// boxGrids are the grids of one served version by bounds, to turn a bbox
// into the grid codes whose incidents hold every incident in it.
type boxGrids struct {
	snap *version.Snapshot
	// layers run root → leaf; nil when the version's layers are not one
	// path of parent links (a forest: no layer holds every incident).
	layers []boxLayer
}

// boxLayer is one layer's grids in an R-tree of their bounds.
type boxLayer struct {
	tree  rtree.RTreeG[int]
	grids []*geo.Grid
	// tiled[i]: the grids of the next layer whose parent is grid i cover
	// it, so that every point of grid i has a grid of the next layer in
	// its chain. False for a parent of a partial layer (buildings) or of
	// no children.
	tiled []bool
}

// newBoxGrids builds the bounds of snap's grids.
func newBoxGrids(snap *version.Snapshot) *boxGrids {
	b := &boxGrids{snap: snap}
	ls := snap.Data.Layers
	for i, l := range ls {
		if (i == 0) != (l.Parent == "") || i > 0 && l.Parent != ls[i-1].Name {
			return b
		}
	}
	b.layers = make([]boxLayer, len(ls))
	for i, l := range ls {
		bl := &b.layers[i]
		bl.grids = l.Grids
		bl.tiled = make([]bool, len(l.Grids))
		for gi, g := range l.Grids {
			r := g.Bound()
			bl.tree.Insert(r.Min, r.Max, gi)
		}
		if i+1 < len(ls) {
			tiledBy(bl.tiled, l, ls[i+1])
		}
	}
	return b
}

// tiledBy sets tiled[i] when the grids of child whose parent is grid i of
// l cover it (their areas sum to its area; siblings do not overlap).
func tiledBy(tiled []bool, l, child *geo.Layer) {
	sum := make([]float64, len(l.Grids))
	for _, c := range child.Grids {
		if p := l.Index(c.Parent); p >= 0 {
			sum[p] += planar.Area(c.Geom)
		}
	}
	for i, g := range l.Grids {
		a := planar.Area(g.Geom)
		tiled[i] = a > 0 && sum[i] >= a*(1-coverSlack)
	}
}

// codes returns the codes of the grids, of the finest layer possible,
// whose chains hold every incident located in this version at a point of
// box ([minLon, minLat, maxLon, maxLat], WGS84) with a nearest fallback of
// at most nearM metres: the grids of a layer whose bounds meet the box
// grown by nearM, at most k of them, when every grid of the coarser layers
// meeting it is tiled by the next. ok is false when no layer has k or
// fewer such grids (or the layers are not one path): walk by time.
func (b *boxGrids) codes(box [4]float64, nearM float64, k int) (codes []string, ok bool) {
	lo, hi := grow(box, nearM)
	for li := range b.layers {
		l := &b.layers[li]
		var hits []int
		l.tree.Search(lo, hi, func(_, _ [2]float64, gi int) bool {
			hits = append(hits, gi)
			return len(hits) <= k
		})
		if len(hits) > k {
			break
		}
		codes, ok = make([]string, len(hits)), true
		tiled := true
		for i, gi := range hits {
			codes[i] = l.grids[gi].Code
			tiled = tiled && l.tiled[gi]
		}
		if !tiled || len(hits) == 0 {
			break
		}
	}
	return codes, ok
}

// grow returns the corners of box grown by m metres (and by a hundredth
// more) on every side, in degrees at the box's latitude farthest from the
// equator.
func grow(box [4]float64, m float64) (lo, hi [2]float64) {
	kx, ky := geo.MetresPerDegree(max(math.Abs(box[1]), math.Abs(box[3])))
	m *= 1.01
	dx, dy := m/kx, m/ky
	return [2]float64{box[0] - dx, box[1] - dy}, [2]float64{box[2] + dx, box[3] + dy}
}

// bboxGrids returns the grid codes of a listing of box in the served
// version (see boxGrids.codes), building the version's bounds on its
// first bbox listing.
func (s *Service) bboxGrids(box [4]float64) ([]string, bool) {
	snap := s.opts.Current()
	if snap == nil || snap.Data == nil {
		return nil, false
	}
	b := s.boxes.Load()
	if b == nil || b.snap != snap {
		s.boxMu.Lock()
		if b = s.boxes.Load(); b == nil || b.snap != snap {
			b = newBoxGrids(snap)
			s.boxes.Store(b)
		}
		s.boxMu.Unlock()
	}
	return b.codes(box, s.nearestM(), BBoxGrids)
}
