package geo

import (
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/gridmap/gridmap/internal/bigmem"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// cellIndex answers the semi-open point-in-grid question for one layer in
// about a hundred nanoseconds. It covers the layer's bounding box with a
// uniform grid of cells. A cell that no border crosses stores its owner. A
// border cell stores, one after another in one run of words, its candidate
// grids and for each of them what the crossing test of a point in the cell
// needs: the grid's edges that touch the cell, tested one by one, and the
// effect of the grid's edges wholly east of the cell, which a point's
// eastward ray crosses exactly when the point's latitude lies in their
// half-open span. That effect is a parity at the row's south side and the
// latitudes where it flips (the ends of the eastern edges that lie in the
// row). The answer is therefore exactly that of Contains over the whole grid,
// with the same exact predicate, at the cost of a handful of edges read from
// one place in memory.
type cellIndex struct {
	minX, minY float64
	invW, invH float64
	cellW      float64
	cellH      float64
	nx, ny     int
	// maxAbsLat is the largest |latitude| of the cells and minKx the
	// length in metres of a degree of longitude there, the least over the
	// cells (maxAbsLat < 0: unknown); nearBorder's first, scale-free look.
	maxAbsLat float64
	minKx     float64
	// cells is one word per cell, row-major. An interior cell has the
	// interiorFlag set and the owner (or noOwner) in the low 31 bits. A
	// border cell holds the offset in border of its first candidate.
	cells []uint32
	// border holds the candidates of the border cells. A candidate is a
	// header word (see candHeader), then its touching edges (4 words each:
	// lower end x, y, upper end x, y, as float64 bits), then its flip
	// latitudes (float64 bits).
	border []uint64
	// hot, when set, answers most points before cells and border are
	// read (see hotLevel).
	hot *hotLevel
}

// cellGroup is the run of edges of one grid in one row, sorted by their east
// end, descending.
type cellGroup struct {
	grid  uint32
	start uint32
	n     uint32
}

// The header word of a candidate: the grid in the low 32 bits, then the
// counts of touching edges and of flip latitudes (15 bits each, countEscape
// when the counts follow in a word of their own, edges low, flips high), the
// parity of the eastern edges at the row's south side, and whether the
// candidate is the cell's last.
const (
	edgesShift  = 32
	flipsShift  = 47
	countMask   = 1<<15 - 1
	countEscape = countMask
	baseBit     = uint64(1) << 62
	lastBit     = uint64(1) << 63
)

const (
	interiorFlag = uint32(1) << 31
	noOwner      = uint32(1<<31 - 1)
)

// edgeRec is an edge during the build: lower end first.
type edgeRec struct {
	ax, ay, bx, by float64
	grid           uint32
}

// buildCellIndex indexes grids (WGS84 lon/lat) with about targetCells cells.
func buildCellIndex(grids []orb.MultiPolygon, targetCells int) *cellIndex {
	x := &cellIndex{maxAbsLat: -1}
	var tree rtree.RTreeG[int]
	for gi, mp := range grids {
		gb := mp.Bound()
		tree.Insert([2]float64(gb.Min), [2]float64(gb.Max), gi)
	}
	var b orb.Bound
	first := true
	nv := 0
	for _, mp := range grids {
		for _, poly := range mp {
			for _, r := range poly {
				nv += len(r)
			}
		}
	}
	edges := make([]edgeRec, 0, nv)
	for gi, mp := range grids {
		for _, poly := range mp {
			for _, r := range poly {
				n := len(r)
				for i := 0; i < n; i++ {
					a, c := r[i], r[(i+1)%n]
					if a == c {
						continue
					}
					if a[1] > c[1] || (a[1] == c[1] && a[0] > c[0]) {
						a, c = c, a
					}
					edges = append(edges, edgeRec{a[0], a[1], c[0], c[1], uint32(gi)})
				}
				for _, p := range r {
					if first {
						b = orb.Bound{Min: p, Max: p}
						first = false
					} else {
						b = b.Extend(p)
					}
				}
			}
		}
	}
	if first {
		// no geometry at all: one empty cell
		x.nx, x.ny = 1, 1
		x.cellW, x.cellH, x.invW, x.invH = 1, 1, 1, 1
		x.cells = []uint32{interiorFlag | noOwner}
		return x
	}
	w := b.Max[0] - b.Min[0]
	h := b.Max[1] - b.Min[1]
	if w <= 0 {
		w = 1e-9
	}
	if h <= 0 {
		h = 1e-9
	}
	if targetCells < 1 {
		targetCells = 1
	}
	side := math.Sqrt(w * h / float64(targetCells))
	x.nx = int(math.Ceil(w/side)) + 1
	x.ny = int(math.Ceil(h/side)) + 1
	x.cellW = w / float64(x.nx-1)
	x.cellH = h / float64(x.ny-1)
	// the grid starts half a cell before the bound so that the bound's edges
	// fall inside cells, not on their sides
	x.minX = b.Min[0] - x.cellW/2
	x.minY = b.Min[1] - x.cellH/2
	x.invW = 1 / x.cellW
	x.invH = 1 / x.cellH
	if top := max(math.Abs(x.minY), math.Abs(x.minY+float64(x.ny)*x.cellH)); top < 89 {
		x.maxAbsLat = top
		x.minKx, _ = metresPerDegree(top)
	}
	var freeCells func()
	x.cells, freeCells = bigmem.Alloc[uint32](x.nx * x.ny)
	bigmem.ReleaseWith(x, freeCells)

	// a margin makes the cells of the build slightly larger than those of a
	// query, so rounding in the cell computation never misses an edge
	mx := x.cellW*1e-6 + 1e-12
	my := x.cellH*1e-6 + 1e-12

	// bucket edges by row: an edge goes to every row its y-range meets
	// (counted first, then filled, so that the buckets are one array)
	rowStart := make([]int32, x.ny+1)
	rowSpan := func(e *edgeRec) (int, int) {
		return x.clampRow(int(math.Floor((e.ay - my - x.minY) * x.invH))),
			x.clampRow(int(math.Floor((e.by + my - x.minY) * x.invH)))
	}
	for i := range edges {
		r0, r1 := rowSpan(&edges[i])
		for r := r0; r <= r1; r++ {
			rowStart[r+1]++
		}
	}
	for r := 0; r < x.ny; r++ {
		rowStart[r+1] += rowStart[r]
	}
	rowIDs := make([]int32, rowStart[x.ny])
	fill := append([]int32(nil), rowStart[:x.ny]...)
	for i := range edges {
		r0, r1 := rowSpan(&edges[i])
		for r := r0; r <= r1; r++ {
			rowIDs[fill[r]] = int32(i)
			fill[r]++
		}
	}
	fill = nil

	// rows are independent: workers take bands of rows, each writing its
	// own border words, merged afterwards
	workers := min(runtime.GOMAXPROCS(0), max(1, x.ny/16))
	bands := make([]cellBand, workers*4)
	per := (x.ny + len(bands) - 1) / len(bands)
	var wg sync.WaitGroup
	next := make(chan int, len(bands))
	for i := range bands {
		b := &bands[i]
		b.r0, b.r1 = min(i*per, x.ny), min((i+1)*per, x.ny)
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sc rowScratch
			for i := range next {
				b := &bands[i]
				for r := b.r0; r < b.r1; r++ {
					x.buildRow(b, &sc, grids, &tree, edges, rowIDs[rowStart[r]:rowStart[r+1]], r, mx, my)
				}
			}
		}()
	}
	wg.Wait()
	// merge the bands: shift their cells' offsets
	n := 0
	for i := range bands {
		n += len(bands[i].border)
	}
	if n >= int(interiorFlag) {
		panic("geo: cell index too large")
	}
	borderMem, freeBorder := bigmem.Alloc[uint64](n)
	bigmem.ReleaseWith(x, freeBorder)
	x.border = borderMem[:0]
	for i := range bands {
		b := &bands[i]
		base := uint32(len(x.border))
		x.border = append(x.border, b.border...)
		for r := b.r0; r < b.r1; r++ {
			row := x.cells[r*x.nx : (r+1)*x.nx]
			for c, w := range row {
				if w&interiorFlag == 0 {
					row[c] = w + base
				}
			}
		}
		*b = cellBand{}
	}
	return x
}

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

// buildRow fills the cells of row r from the edges (ids) that meet it.
func (x *cellIndex) buildRow(b *cellBand, sc *rowScratch, grids []orb.MultiPolygon, tree *rtree.RTreeG[int], edges []edgeRec, rowEdges []int32, r int, mx, my float64) {
	cells := x.cells[r*x.nx : (r+1)*x.nx]
	if len(rowEdges) == 0 {
		// no edge in the row: it lies in one face
		w := x.interior(grids, tree, r, x.nx/2)
		for c := range cells {
			cells[c] = w
		}
		return
	}
	ids := append(sc.ids[:0], rowEdges...)
	sc.ids = ids
	sort.Slice(ids, func(i, j int) bool {
		ei, ej := &edges[ids[i]], &edges[ids[j]]
		if ei.grid != ej.grid {
			return ei.grid < ej.grid
		}
		return math.Max(ei.ax, ei.bx) > math.Max(ej.ax, ej.bx)
	})
	// per grid, its edges in the row sorted by east end
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
	// which cells of the row each group's edges touch
	pairs := sc.pairs[:0]
	for gi := range groups {
		gr := &groups[gi]
		for k := uint32(0); k < gr.n; k++ {
			o := (gr.start + k) * 4
			ex0 := math.Min(re[o], re[o+2])
			ex1 := math.Max(re[o], re[o+2])
			c0 := x.clampCol(int(math.Floor((ex0 - mx - x.minX) * x.invW)))
			c1 := x.clampCol(int(math.Floor((ex1 + mx - x.minX) * x.invW)))
			for c := c0; c <= c1; c++ {
				pairs = append(pairs, uint64(c)<<32|uint64(gi))
			}
		}
	}
	slices.Sort(pairs)
	pairs = slices.Compact(pairs)
	sc.pairs = pairs
	// a point of the row lies between these latitudes, whatever the
	// rounding of its row
	ylo := x.minY + float64(r)*x.cellH - my
	yhi := x.minY + float64(r+1)*x.cellH + my
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
				run = x.interior(grids, tree, r, c)
				inRun = true
			}
			cells[c] = run
			continue
		}
		inRun = false
		x0 := x.minX + float64(c)*x.cellW - mx
		x1 := x.minX + float64(c+1)*x.cellW + mx
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
		for _, gi := range holders(grids, tree, x.centre(r, c)) {
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
			cells[c] = interiorFlag | owner
			continue
		}
		// mark the last candidate
		last := off
		for i := off; i < len(b.border); {
			last = i
			i = nextCand(b.border, i)
		}
		b.border[last] |= lastBit
		cells[c] = uint32(off)
	}
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

func (x *cellIndex) clampRow(r int) int { return min(max(r, 0), x.ny-1) }
func (x *cellIndex) clampCol(c int) int { return min(max(c, 0), x.nx-1) }

// centre returns the centre of cell (r, c), (lon, lat).
func (x *cellIndex) centre(r, c int) orb.Point {
	return orb.Point{x.minX + (float64(c)+0.5)*x.cellW, x.minY + (float64(r)+0.5)*x.cellH}
}

// holders returns the grids that own point p under the semi-open rule.
func holders(grids []orb.MultiPolygon, tree *rtree.RTreeG[int], p orb.Point) []int {
	var out []int
	tree.Search([2]float64(p), [2]float64(p), func(_, _ [2]float64, gi int) bool {
		if Contains(grids[gi], p) {
			out = append(out, gi)
		}
		return true
	})
	sort.Ints(out)
	return out
}

// interior returns the cell word for a cell no edge touches: the grid that
// holds its centre, if any.
func (x *cellIndex) interior(grids []orb.MultiPolygon, tree *rtree.RTreeG[int], r, c int) uint32 {
	if h := holders(grids, tree, x.centre(r, c)); len(h) > 0 {
		return interiorFlag | uint32(h[0])
	}
	return interiorFlag | noOwner
}

// locate returns the grid that owns (lon, lat) under the semi-open rule, or
// -1.
func (x *cellIndex) locate(px, py float64) int {
	fx := (px - x.minX) * x.invW
	fy := (py - x.minY) * x.invH
	if !(fx >= 0 && fy >= 0 && fx < float64(x.nx) && fy < float64(x.ny)) {
		return -1
	}
	c, r := int(fx), int(fy)
	if x.hot != nil {
		if g, ok := x.hot.locate(c, r, fx, fy); ok {
			return g
		}
	}
	w := x.cells[r*x.nx+c]
	if w&interiorFlag != 0 {
		o := w &^ interiorFlag
		if o == noOwner {
			return -1
		}
		return int(o)
	}
	return x.locateBorder(w, px, py)
}

// borderCand is one candidate of a border cell, read from its words.
type borderCand struct {
	grid  uint32
	odd   bool     // parity of the eastern edges at the row's south side
	last  bool     // the cell's last candidate
	edges []uint64 // touching edges, 4 words each
	flips []uint64 // latitudes where the eastern parity flips
}

// candAt reads the candidate at offset i of border and returns it with the
// offset of the next.
func candAt(border []uint64, i int) (borderCand, int) {
	h := border[i]
	i++
	ne, nf := int(h>>edgesShift&countMask), int(h>>flipsShift&countMask)
	if ne == countEscape {
		ne, nf = int(uint32(border[i])), int(border[i]>>32)
		i++
	}
	c := borderCand{grid: uint32(h), odd: h&baseBit != 0, last: h&lastBit != 0}
	c.edges = border[i : i+4*ne : i+4*ne]
	i += 4 * ne
	c.flips = border[i : i+nf : i+nf]
	return c, i + nf
}

// nextCand returns the offset of the candidate after the one at offset i.
func nextCand(border []uint64, i int) int {
	_, next := candAt(border, i)
	return next
}

// locateBorder is locate's answer for a point in the border cell whose word
// is w.
func (x *cellIndex) locateBorder(w uint32, px, py float64) int {
	for i := int(w); ; {
		cd, next := candAt(x.border, i)
		odd := cd.odd
		e := cd.edges
		for k := 0; k+3 < len(e); k += 4 {
			ay, by := math.Float64frombits(e[k+1]), math.Float64frombits(e[k+3])
			if !(ay <= py && py < by) {
				continue
			}
			ax, bx := math.Float64frombits(e[k]), math.Float64frombits(e[k+2])
			// the orientation of (a, b, p), exact when the fast value's
			// error bound cannot prove its sign (see Orient)
			detl := (bx - ax) * (py - ay)
			detr := (by - ay) * (px - ax)
			det := detl - detr
			bound := (abs(detl) + abs(detr)) * 4e-16
			if det > bound || (det >= -bound && Orient(ax, ay, bx, by, px, py) > 0) {
				odd = !odd
			}
		}
		for _, f := range cd.flips {
			if math.Float64frombits(f) <= py {
				odd = !odd
			}
		}
		if odd {
			return int(cd.grid)
		}
		if cd.last {
			break
		}
		i = next
	}
	// No grid owns the point by the semi-open rule: it may still lie on the
	// outer border of the layer's coverage (east and north sides), where the
	// closed polygon covers it and no neighbour would take it.
	return x.onBorder(w, px, py)
}

// onBorder returns the candidate grid of the border cell whose word is w with
// an edge that passes exactly through (px, py), by the exact orientation
// predicate, or -1. It closes the outer border of a layer's coverage: a
// point exactly on it belongs to the grid inside, as the grid's closed
// polygon covers it. Every edge through a point of the cell touches the
// cell.
func (x *cellIndex) onBorder(w uint32, px, py float64) int {
	for i := int(w); ; {
		cd, next := candAt(x.border, i)
		e := cd.edges
		for k := 0; k+3 < len(e); k += 4 {
			if onSegment(math.Float64frombits(e[k]), math.Float64frombits(e[k+1]),
				math.Float64frombits(e[k+2]), math.Float64frombits(e[k+3]), px, py) {
				return int(cd.grid)
			}
		}
		if cd.last {
			return -1
		}
		i = next
	}
}

// onSegment reports whether (px, py) lies exactly on the segment (ax, ay)–
// (bx, by).
func onSegment(ax, ay, bx, by, px, py float64) bool {
	if px < min(ax, bx) || px > max(ax, bx) || py < min(ay, by) || py > max(ay, by) {
		return false
	}
	return Orient(ax, ay, bx, by, px, py) == 0
}

// segDist2 returns the squared planar distance from (px, py) to the segment
// (ax, ay)–(bx, by), in the units of the coordinates.
func segDist2(ax, ay, bx, by, px, py float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = ((px-ax)*dx + (py-ay)*dy) / l
		t = math.Max(0, math.Min(1, t))
	}
	ex, ey := ax+t*dx-px, ay+t*dy-py
	return ex*ex + ey*ey
}
