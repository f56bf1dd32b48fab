package incident

import (
	"math"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/version"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
)

// BBoxGrids is the most grid codes a bbox listing walks (Filter.Grids):
// of the layers at which the box meets at most this many grids, the one
// whose walk reads the fewest rows gives them; a box meeting more grids of
// the coarsest layer, or holding so many incidents that the walk by time
// finds a page sooner (a town's box), walks the incidents newest first.
const BBoxGrids = 64

// coverSlack is the share of a grid's area its children may leave
// uncovered (float noise of summed areas) for the grid to count as tiled.
// A point in a gap stays with the grid around it (no nearest child), so an
// incident in a gap smaller than this share (a ten-thousandth of a square
// metre of a 100-km² town) is not found by a bbox walking the children.
const coverSlack = 1e-12

// boxGrids are the grids of one served version by bounds, to turn a bbox
// into the grid codes whose incidents hold every incident in it.
type boxGrids struct {
	snap *version.Snapshot
	// layers run root → leaf; nil when the version's layers are not one
	// path of parent links (a forest: no layer holds every incident).
	layers []boxLayer
	// total is the number of grids of the finest layer.
	total float64
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
	// bounds[i] is grid i's bounding box; leaves[i] the number of grids
	// of the finest layer under it (at least 1): its share of incidents.
	bounds []orb.Bound
	leaves []float64
}

// newBoxGrids builds the bounds of snap's grids.
func newBoxGrids(snap *version.Snapshot) *boxGrids {
	b := &boxGrids{snap: snap}
	ls := snap.Data.Layers
	if len(ls) == 0 {
		return b
	}
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
		bl.bounds = make([]orb.Bound, len(l.Grids))
		for gi, g := range l.Grids {
			bl.bounds[gi] = g.Bound()
			bl.tree.Insert(bl.bounds[gi].Min, bl.bounds[gi].Max, gi)
		}
		if i+1 < len(ls) {
			tiledBy(bl.tiled, l, ls[i+1])
		}
	}
	for i := len(ls) - 1; i >= 0; i-- {
		bl := &b.layers[i]
		bl.leaves = make([]float64, len(ls[i].Grids))
		if i+1 < len(ls) {
			for ci, c := range ls[i+1].Grids {
				if p := ls[i].Index(c.Parent); p >= 0 {
					bl.leaves[p] += b.layers[i+1].leaves[ci]
				}
			}
		}
		for gi := range bl.leaves {
			bl.leaves[gi] = max(bl.leaves[gi], 1)
		}
	}
	for _, n := range b.layers[0].leaves {
		b.total += n
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

// codes returns the codes of the grids whose chains hold every incident
// located in this version at a point of box ([minLon, minLat, maxLon,
// maxLat], WGS84) with a nearest fallback of at most nearM metres: the
// grids of one layer whose bounds meet the box grown by nearM, at most k
// of them, every grid of the coarser layers meeting it tiled by the next.
// Of the layers that qualify it takes the one whose walk reads the fewest
// rows for a page of page incidents (cost), and ok is false when walking
// the incidents by time reads fewer (a box holding many incidents), no
// layer qualifies, or the layers are not one path.
func (b *boxGrids) codes(box [4]float64, nearM float64, k, page int) (codes []string, ok bool) {
	lo, hi := grow(box, nearM)
	if b.inside(lo, hi) {
		// the nearest fallback serves only points outside every root
		// grid: inside, a point's grids hold it
		lo, hi = grow(box, 0)
	}
	in := orb.Bound{Min: orb.Point{box[0], box[1]}, Max: orb.Point{box[2], box[3]}}
	var (
		best     []int
		bestL    = -1
		bestCost = math.Inf(1)
		held     float64 // finest grids' worth of incidents in the box
	)
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
		cost, n := l.cost(hits, in, float64(page))
		if cost < bestCost {
			best, bestL, bestCost = hits, li, cost
		}
		held = n
		tiled := true
		for _, gi := range hits {
			tiled = tiled && l.tiled[gi]
		}
		if !tiled || len(hits) == 0 {
			break
		}
	}
	if bestL < 0 || len(best) > 0 && bestCost > float64(page)*b.total/max(held, 1e-9) {
		return nil, false
	}
	codes = make([]string, len(best))
	for i, gi := range best {
		codes[i] = b.layers[bestL].grids[gi].Code
	}
	return codes, true
}

// inside tells whether the box lo–hi lies wholly inside one grid of the
// root layer: its corners are and no edge of the grid's rings crosses it.
func (b *boxGrids) inside(lo, hi [2]float64) bool {
	if len(b.layers) == 0 {
		return false
	}
	root := &b.layers[0]
	var g *geo.Grid
	n := 0
	root.tree.Search(lo, hi, func(_, _ [2]float64, gi int) bool {
		g, n = root.grids[gi], n+1
		return n < 2
	})
	if n != 1 {
		return false
	}
	r := orb.Bound{Min: lo, Max: hi}
	for _, c := range [][2]float64{lo, hi, {lo[0], hi[1]}, {hi[0], lo[1]}} {
		if !planar.MultiPolygonContains(g.Geom, c) {
			return false
		}
	}
	for _, p := range g.Geom {
		for _, ring := range p {
			for i := 1; i < len(ring); i++ {
				if crosses(ring[i-1], ring[i], r) {
					return false
				}
			}
		}
	}
	return true
}

// crosses tells whether the segment a–b meets the box r (Liang–Barsky
// clipping).
func crosses(a, b orb.Point, r orb.Bound) bool {
	if max(a[0], b[0]) < r.Min[0] || min(a[0], b[0]) > r.Max[0] || max(a[1], b[1]) < r.Min[1] || min(a[1], b[1]) > r.Max[1] {
		return false
	}
	t0, t1 := 0.0, 1.0
	dx, dy := b[0]-a[0], b[1]-a[1]
	for _, e := range [4][2]float64{{-dx, a[0] - r.Min[0]}, {dx, r.Max[0] - a[0]}, {-dy, a[1] - r.Min[1]}, {dy, r.Max[1] - a[1]}} {
		p, q := e[0], e[1]
		switch {
		case p == 0:
			if q < 0 {
				return false
			}
		case p < 0:
			t0 = max(t0, q/p)
		default:
			t1 = min(t1, q/p)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// perLeaf is the incidents a grid of the finest layer is taken to hold
// when costing a walk: about a year of a county (1,000,000 over Jiangyin's
// 7,123 micro grids) — it caps the rows of a grid the box barely meets.
const perLeaf = 150

// cost estimates the rows a walk of grids hits of l reads for a page of
// page incidents (each grid's range until a page of its incidents in box,
// at most all of them), and how many finest grids' worth of incidents box
// holds; a grid's incidents are taken as spread evenly over its bounds.
func (l *boxLayer) cost(hits []int, box orb.Bound, page float64) (cost, held float64) {
	for _, gi := range hits {
		gb := l.bounds[gi]
		share := 0.0
		if gb.Intersects(box) {
			// at least a millionth: a point or line of a box may hold
			// an incident
			share = max(area(overlap(gb, box))/max(area(gb), 1e-18), 1e-6)
		}
		held += share * l.leaves[gi]
		cost += 1 + min(page/max(share, 1e-9), l.leaves[gi]*perLeaf)
	}
	return cost, held
}

// overlap is the bound a and b share (they intersect).
func overlap(a, b orb.Bound) orb.Bound {
	return orb.Bound{Min: orb.Point{max(a.Min[0], b.Min[0]), max(a.Min[1], b.Min[1])},
		Max: orb.Point{min(a.Max[0], b.Max[0]), min(a.Max[1], b.Max[1])}}
}

// area is the area of b in square degrees.
func area(b orb.Bound) float64 { return (b.Max[0] - b.Min[0]) * (b.Max[1] - b.Min[1]) }

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
// version by pages of limit (see boxGrids.codes), building the version's
// bounds on its first bbox listing.
func (s *Service) bboxGrids(box [4]float64, limit int) ([]string, bool) {
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
	if limit <= 0 {
		limit = DefaultLimit
	}
	return b.codes(box, s.nearestM(), BBoxGrids, min(limit, MaxLimit))
}
