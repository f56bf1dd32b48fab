package index

import (
	"math"
	"slices"
	"sort"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// cellBand is the output of one worker's rows: border words with offsets
// local to the band.
type cellBand struct {
	r0, r1 int
	border []uint64
}

// rowScratch is reused from row to row by one worker.
type rowScratch struct {
	ids    []int32
	edges  []float64 // the row's edges, 4 per edge, in groups
	groups []cellGroup
	pairs  []uint64 // cell<<32 | group, sorted
	cand   []uint64 // one candidate's touching edges
	flips  []float64
}

// buildRow fills the cells of row r from the edges that meet it.
func (cb *cellBuild) buildRow(b *cellBand, sc *rowScratch, r int) {
	x := cb.x
	cells := x.cells[r*x.nx : (r+1)*x.nx]
	rowEdges := cb.rowIDs[cb.rowStart[r]:cb.rowStart[r+1]]
	if len(rowEdges) == 0 {
		// no edge in the row: it lies in one face
		w := cb.interior(r, x.nx/2)
		for c := range cells {
			cells[c] = w
		}
		return
	}
	cb.groupRow(sc, rowEdges)
	pairs := cb.touchPairs(sc)
	// consecutive cells without edges lie in one face: one point test
	// serves the run
	run := uint32(0)
	inRun := false
	p := 0
	for c := 0; c < x.nx; c++ {
		q := p
		for q < len(pairs) && int(pairs[q]>>32) == c {
			q++
		}
		touch := pairs[p:q]
		p = q
		if len(touch) == 0 {
			if !inRun {
				run = cb.interior(r, c)
				inRun = true
			}
			cells[c] = run
			continue
		}
		inRun = false
		cells[c] = cb.borderCell(b, sc, touch, r, c)
	}
}

// groupRow sets sc.groups and sc.edges to the edges of the row (rowEdges),
// grid by grid, each grid's sorted by east end, descending.
func (cb *cellBuild) groupRow(sc *rowScratch, rowEdges []int32) {
	edges := cb.edges
	ids := append(sc.ids[:0], rowEdges...)
	sc.ids = ids
	sort.Slice(ids, func(i, j int) bool {
		ei, ej := &edges[ids[i]], &edges[ids[j]]
		if ei.grid != ej.grid {
			return ei.grid < ej.grid
		}
		return math.Max(ei.ax, ei.bx) > math.Max(ej.ax, ej.bx)
	})
	groups := sc.groups[:0]
	re := sc.edges[:0]
	for i := 0; i < len(ids); {
		j := i
		g := edges[ids[i]].grid
		gr := cellGroup{grid: g, start: uint32(len(re) / 4)}
		for ; j < len(ids) && edges[ids[j]].grid == g; j++ {
			e := &edges[ids[j]]
			re = append(re, e.ax, e.ay, e.bx, e.by)
		}
		gr.n = uint32(j - i)
		groups = append(groups, gr)
		i = j
	}
	sc.groups, sc.edges = groups, re
}

// touchPairs returns which cells of the row each group's edges touch, as
// sorted and distinct cell<<32 | group words.
func (cb *cellBuild) touchPairs(sc *rowScratch) []uint64 {
	x, re := cb.x, sc.edges
	pairs := sc.pairs[:0]
	for gi := range sc.groups {
		gr := &sc.groups[gi]
		for k := uint32(0); k < gr.n; k++ {
			o := (gr.start + k) * 4
			ex0 := math.Min(re[o], re[o+2])
			ex1 := math.Max(re[o], re[o+2])
			c0 := x.clampCol(int(math.Floor((ex0 - cb.mx - x.minX) * x.invW)))
			c1 := x.clampCol(int(math.Floor((ex1 + cb.mx - x.minX) * x.invW)))
			for c := c0; c <= c1; c++ {
				pairs = append(pairs, uint64(c)<<32|uint64(gi))
			}
		}
	}
	slices.Sort(pairs)
	pairs = slices.Compact(pairs)
	sc.pairs = pairs
	return pairs
}

// borderCell appends to b the candidates of cell (c, r), which the groups
// of touch (cell<<32 | group words) touch, and returns the cell's word: the
// offset of its first candidate in b, or an interior word when every
// candidate is wholly in or out of the cell.
func (cb *cellBuild) borderCell(b *cellBand, sc *rowScratch, touch []uint64, r, c int) uint32 {
	x, groups := cb.x, sc.groups
	// a point of the cell lies in this box, whatever the rounding of its
	// cell
	x0 := x.minX + float64(c)*x.cellW - cb.mx
	x1 := x.minX + float64(c+1)*x.cellW + cb.mx
	ylo := x.minY + float64(r)*x.cellH - cb.my
	yhi := x.minY + float64(r+1)*x.cellH + cb.my
	off := len(b.border)
	constant := true // no candidate has edges or flips
	owner := noOwner
	add := func(gr cellGroup, whole bool) {
		h := x.appendCand(b, sc, gr, x0, x1, ylo, yhi, whole)
		if h&(countMask<<edgesShift|countMask<<flipsShift) != 0 {
			constant = false
		} else if h&baseBit != 0 && owner == noOwner {
			owner = uint32(h)
		}
	}
	for _, pr := range touch {
		add(groups[uint32(pr)], false)
	}
	// grids that hold the cell without a border in it (a grid around a
	// hole, or overlapping grids) are candidates too
	for _, gi := range holders(cb.grids, cb.tree, x.centre(r, c)) {
		if slices.ContainsFunc(touch, func(t uint64) bool { return groups[uint32(t)].grid == uint32(gi) }) {
			continue
		}
		gr := cellGroup{grid: uint32(gi)}
		if k := slices.IndexFunc(groups, func(g cellGroup) bool { return g.grid == uint32(gi) }); k >= 0 {
			gr = groups[k]
		}
		add(gr, gr.n == 0)
	}
	if constant {
		// every candidate is wholly in or out of the cell (borders only
		// graze its margin): the cell is interior after all
		b.border = b.border[:off]
		return interiorFlag | owner
	}
	// mark the last candidate
	last := off
	for i := off; i < len(b.border); {
		last = i
		i = nextCand(b.border, i)
	}
	b.border[last] |= lastBit
	return uint32(off)
}

// appendCand appends to b the candidate of group gr (WGS84 edges of one grid
// in the row) for the cell [x0, x1] × [ylo, yhi] and returns its header. With
// whole, the grid has no edge in the row and holds the whole cell.
func (x *cellIndex) appendCand(b *cellBand, sc *rowScratch, gr cellGroup, x0, x1, ylo, yhi float64, whole bool) uint64 {
	re := sc.edges
	// the edges whose east end reaches x0: the others lie west of every
	// point of the cell and never count
	n := sort.Search(int(gr.n), func(k int) bool {
		o := (int(gr.start) + k) * 4
		return math.Max(re[o], re[o+2]) < x0
	})
	odd := whole
	cand := sc.cand[:0]
	flips := sc.flips[:0]
	for k := 0; k < n; k++ {
		o := (int(gr.start) + k) * 4
		ax, ay, bx, by := re[o], re[o+1], re[o+2], re[o+3]
		if math.Min(ax, bx) <= x1 {
			cand = append(cand, math.Float64bits(ax), math.Float64bits(ay), math.Float64bits(bx), math.Float64bits(by))
			continue
		}
		// wholly east: counts for latitudes py with ay <= py < by, that is
		// [ay <= py] xor [by <= py]; an end at or below ylo counts for
		// every point of the row, one above yhi for none
		for _, v := range [2]float64{ay, by} {
			if v <= ylo {
				odd = !odd
			} else if v <= yhi {
				flips = append(flips, v)
			}
		}
	}
	// flips at the same latitude cancel in pairs (a vertex between two
	// eastern edges)
	slices.Sort(flips)
	kept := flips[:0]
	for i := 0; i < len(flips); {
		j := i
		for j < len(flips) && flips[j] == flips[i] {
			j++
		}
		if (j-i)%2 == 1 {
			kept = append(kept, flips[i])
		}
		i = j
	}
	sc.cand, sc.flips = cand, flips
	ne, nf := len(cand)/4, len(kept)
	h := uint64(gr.grid)
	if odd {
		h |= baseBit
	}
	if ne >= countEscape || nf >= countEscape {
		h |= countEscape<<edgesShift | countEscape<<flipsShift
		b.border = append(b.border, h, uint64(ne)|uint64(nf)<<32)
	} else {
		h |= uint64(ne)<<edgesShift | uint64(nf)<<flipsShift
		b.border = append(b.border, h)
	}
	b.border = append(b.border, cand...)
	for _, v := range kept {
		b.border = append(b.border, math.Float64bits(v))
	}
	return h
}

// holders returns the grids that own point p under the semi-open rule.
func holders(grids []orb.MultiPolygon, tree *rtree.RTreeG[int], p orb.Point) []int {
	var out []int
	tree.Search([2]float64(p), [2]float64(p), func(_, _ [2]float64, gi int) bool {
		if geo.Contains(grids[gi], p) {
			out = append(out, gi)
		}
		return true
	})
	sort.Ints(out)
	return out
}

// interior returns the cell word for a cell no edge touches: the grid that
// holds its centre, if any.
func (cb *cellBuild) interior(r, c int) uint32 {
	if h := holders(cb.grids, cb.tree, cb.x.centre(r, c)); len(h) > 0 {
		return interiorFlag | uint32(h[0])
	}
	return interiorFlag | noOwner
}
