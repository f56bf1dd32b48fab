package tiles

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// arcRef names an arc of a topology as used by one ring: i ≥ 0 is arc i
// walked forward, ^i (that is -i-1) is arc i walked backward, as in
// TopoJSON.
type arcRef int32

func (r arcRef) index() int     { return int(r) ^ int(r>>31) }
func (r arcRef) reversed() bool { return r < 0 }

// topoRing is a ring rebuilt from arcs: walking the refs in order, each arc
// starts where the previous one ended, and the last ends where the first
// starts.
type topoRing []arcRef

// topoPolygon is an outer ring followed by its holes.
type topoPolygon []topoRing

// topology holds the arcs of one layer: the rings of all its grids cut at
// nodes into maximal runs of vertices, each shared run stored once.
//
// Coordinates are Web Mercator normalised to the unit square, x east and y
// south (maptile.Fraction at zoom 0), so a zoom z tile pixel is a linear
// function of them.
//
// A node is a vertex whose degree in the layer's edge graph is not 2: a
// junction where three or more grids meet, where a border leaves the
// layer's outer boundary, or where a ring touches itself. Between nodes
// every vertex has exactly two neighbours, so the grids on either side of
// the run do not change: a run is used by the same grids from end to end. A
// ring with no node at all (an island, or a hole filled by one enclave) is
// pinned at its extreme vertices (least and greatest by x then y and by y
// then x), which both rings of the cycle agree on.
//
// This relies on neighbours sharing borders vertex for vertex. Where they do
// not, the runs differ and are stored as separate arcs: the output is then
// exactly as good as the input, with no new gaps from simplification only
// where runs match.
type topology struct {
	arcs [][]orb.Point
	// polys holds, per grid of the layer, its polygons as arc refs.
	polys [][]topoPolygon
	// vertices counts the points of all arcs.
	vertices int
}

// project returns a point in the unit Web Mercator square (x east, y south).
func project(p orb.Point) orb.Point { return maptile.Fraction(p, 0) }

// buildTopology cuts the rings of geoms into arcs.
func buildTopology(geoms []orb.MultiPolygon) *topology {
	// Vertex ids by projected point; rings as open id sequences.
	ids := map[orb.Point]int32{}
	var pts []orb.Point
	rings := make([][][][]int32, len(geoms)) // grid → polygon → ring → ids
	for gi, mp := range geoms {
		rings[gi] = make([][][]int32, 0, len(mp))
		for _, poly := range mp {
			var pr [][]int32
			for ri, r := range poly {
				var seq []int32
				for _, p := range r {
					q := project(p)
					id, ok := ids[q]
					if !ok {
						id = int32(len(pts))
						ids[q] = id
						pts = append(pts, q)
					}
					if n := len(seq); n > 0 && seq[n-1] == id {
						continue
					}
					seq = append(seq, id)
				}
				for len(seq) > 1 && seq[0] == seq[len(seq)-1] {
					seq = seq[:len(seq)-1]
				}
				if len(seq) < 3 {
					if ri == 0 {
						pr = nil
						break // a degenerate outer ring drops the polygon
					}
					continue
				}
				pr = append(pr, seq)
			}
			if len(pr) > 0 {
				rings[gi] = append(rings[gi], pr)
			}
		}
	}

	// Degree of each vertex in the undirected edge graph.
	edges := make(map[uint64]struct{}, len(pts)*2)
	degree := make([]int32, len(pts))
	forEachRing(rings, func(seq []int32) {
		for i, a := range seq {
			b := seq[(i+1)%len(seq)]
			k := undirected(a, b)
			if _, ok := edges[k]; !ok {
				edges[k] = struct{}{}
				degree[a]++
				degree[b]++
			}
		}
	})
	node := make([]bool, len(pts))
	for v, d := range degree {
		node[v] = d != 2
	}
	forEachRing(rings, func(seq []int32) {
		// A ring without a node is pinned at its extreme vertices: least
		// and greatest by (x, y) and by (y, x). Every ring of the same
		// cycle finds the same ones, and a ring of 4 pins keeps an area
		// however far it is simplified.
		var ext [4]int32
		for i := range ext {
			ext[i] = seq[0]
		}
		for _, v := range seq {
			if node[v] {
				return
			}
			p := pts[v]
			if less(p, pts[ext[0]]) {
				ext[0] = v
			}
			if less(pts[ext[1]], p) {
				ext[1] = v
			}
			if lessYX(p, pts[ext[2]]) {
				ext[2] = v
			}
			if lessYX(pts[ext[3]], p) {
				ext[3] = v
			}
		}
		for _, v := range ext {
			node[v] = true
		}
	})

	// Cut rings at nodes; the first directed edge names an arc.
	t := &topology{polys: make([][]topoPolygon, len(geoms))}
	byEdge := map[uint64]arcRef{}
	var run []int32
	for gi, gp := range rings {
		for _, pr := range gp {
			var tp topoPolygon
			for _, seq := range pr {
				start := 0
				for !node[seq[start]] {
					start++
				}
				n := len(seq)
				var tr topoRing
				run = append(run[:0], seq[start])
				for i := 1; i <= n; i++ {
					v := seq[(start+i)%n]
					run = append(run, v)
					if node[v] {
						tr = append(tr, t.arcFor(run, byEdge, pts))
						run = append(run[:0], v)
					}
				}
				tp = append(tp, tr)
			}
			t.polys[gi] = append(t.polys[gi], tp)
		}
	}
	return t
}

// arcFor returns the arc for the vertex run, adding it when it is new.
func (t *topology) arcFor(run []int32, byEdge map[uint64]arcRef, pts []orb.Point) arcRef {
	n := len(run)
	if ref, ok := byEdge[directed(run[0], run[1])]; ok {
		a := t.arcs[ref.index()]
		if len(a) == n && sameRun(a, run, pts, ref.reversed()) {
			return ref
		}
		// Same first edge but a different run: the input is not noded
		// consistently. Keep this run as an arc of its own.
		return t.addArc(run, pts)
	}
	ref := t.addArc(run, pts)
	byEdge[directed(run[0], run[1])] = ref
	byEdge[directed(run[n-1], run[n-2])] = ^ref
	return ref
}

func (t *topology) addArc(run []int32, pts []orb.Point) arcRef {
	a := make([]orb.Point, len(run))
	for i, v := range run {
		a[i] = pts[v]
	}
	t.arcs = append(t.arcs, a)
	t.vertices += len(a)
	return arcRef(len(t.arcs) - 1)
}

// sameRun reports whether arc a, walked backward when rev, is the run.
func sameRun(a []orb.Point, run []int32, pts []orb.Point, rev bool) bool {
	n := len(a)
	for i, v := range run {
		j := i
		if rev {
			j = n - 1 - i
		}
		if a[j] != pts[v] {
			return false
		}
	}
	return true
}

func forEachRing(rings [][][][]int32, f func(seq []int32)) {
	for _, gp := range rings {
		for _, pr := range gp {
			for _, seq := range pr {
				f(seq)
			}
		}
	}
}

func directed(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

func undirected(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return directed(a, b)
}

func less(a, b orb.Point) bool { return a[0] < b[0] || a[0] == b[0] && a[1] < b[1] }

func lessYX(a, b orb.Point) bool { return a[1] < b[1] || a[1] == b[1] && a[0] < b[0] }
