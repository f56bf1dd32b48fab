package geo

import (
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// cellIndex answers the semi-open point-in-grid question for one layer in
// about a hundred nanoseconds. It covers the layer's bounding box with a
// uniform grid of cells. A cell that no border crosses stores its owner. A
// cell that borders cross stores its candidate grids, and for each of them
// the edges of that grid that can count in the crossing test of a point in the
// cell: the edges in the cell's row that reach the cell or lie east of it.
// The answer is therefore exactly that of Contains over the whole grid, with
// the same exact predicate, at the cost of a handful of edges.
type cellIndex struct {
	minX, minY float64
	invW, invH float64
	cellW      float64
	cellH      float64
	nx, ny     int
	// cells is one word per cell, row-major. An interior cell has the
	// interiorFlag set and the owner (or noOwner) in the low 31 bits. A
	// border cell holds the offset in cands of a header entry whose grid
	// field is the number of candidates that follow it.
	cells []uint32
	cands []cellCand
	// edges holds 4 float64 per edge: lower end (x, y), upper end (x, y).
	edges []float64
}

// cellGroup is the run of edges of one grid in one row, sorted by their east
// end, descending.
type cellGroup struct {
	grid  uint32
	start uint32
	n     uint32
	minX  float64
}

type cellCand struct {
	grid  uint32
	start uint32 // first edge, in units of edges
	n     uint32
}

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
	x := &cellIndex{}
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
	var freeCells func()
	x.cells, freeCells = bigAlloc[uint32](x.nx * x.ny)
	releaseWith(x, freeCells)

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
	// own edges and candidates, merged afterwards
	workers := min(runtime.GOMAXPROCS(0), max(1, x.ny/16))
	bands := make([]cellBand, workers*4)
	per := (x.ny + len(bands) - 1) / len(bands)
	var wg sync.WaitGroup
	next := make(chan int, len(bands))
	for i := range bands {
		b := &bands[i]
		b.r0, b.r1 = min(i*per, x.ny), min((i+1)*per, x.ny)
		b.edges = make([]float64, 0, 4*int(rowStart[b.r1]-rowStart[b.r0]))
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
					x.buildRow(b, &sc, grids, &tree, edges, rowIDs[rowStart[r]:rowStart[r+1]], r, mx)
				}
			}
		}()
	}
	wg.Wait()
	// merge the bands: shift their candidate offsets and edge starts
	nEdges, nCands := 0, 0
	for i := range bands {
		nEdges += len(bands[i].edges)
		nCands += len(bands[i].cands)
	}
	edgesMem, freeEdges := bigAlloc[float64](nEdges)
	candsMem, freeCands := bigAlloc[cellCand](nCands)
	releaseWith(x, freeEdges)
	releaseWith(x, freeCands)
	x.edges, x.cands = edgesMem[:0], candsMem[:0]
	for i := range bands {
		b := &bands[i]
		edgeBase := uint32(len(x.edges) / 4)
		candBase := len(x.cands)
		if candBase+len(b.cands) >= int(interiorFlag) {
			panic("geo: cell index too large")
		}
		for k := range b.cands {
			if b.header[k] {
				continue
			}
			b.cands[k].start += edgeBase
		}
		x.edges = append(x.edges, b.edges...)
		x.cands = append(x.cands, b.cands...)
		for r := b.r0; r < b.r1; r++ {
			row := x.cells[r*x.nx : (r+1)*x.nx]
			for c, w := range row {
				if w&interiorFlag == 0 {
					row[c] = w + uint32(candBase)
				}
			}
		}
		*b = cellBand{}
	}
	return x
}

// cellBand is the output of one worker's rows: edges and candidates with
// offsets local to the band.
type cellBand struct {
	r0, r1 int
	edges  []float64
	cands  []cellCand
	header []bool // cands[k] is a header entry (its grid field is a count)
}

// rowScratch is reused from row to row by one worker.
type rowScratch struct {
	ids    []int32
	groups []cellGroup
	pairs  []uint64 // cell<<32 | group, sorted
}

// buildRow fills the cells of row r from the edges (ids) that meet it.
func (x *cellIndex) buildRow(b *cellBand, sc *rowScratch, grids []orb.MultiPolygon, tree *rtree.RTreeG[int], edges []edgeRec, rowEdges []int32, r int, mx float64) {
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
	// per grid, its edges in the row sorted by east end, stored once; a
	// cell's candidate list points at a prefix of the run
	groups := sc.groups[:0]
	for i := 0; i < len(ids); {
		j := i
		g := edges[ids[i]].grid
		gr := cellGroup{grid: g, start: uint32(len(b.edges) / 4), minX: math.Inf(1)}
		for ; j < len(ids) && edges[ids[j]].grid == g; j++ {
			e := &edges[ids[j]]
			b.edges = append(b.edges, e.ax, e.ay, e.bx, e.by)
			gr.minX = math.Min(gr.minX, math.Min(e.ax, e.bx))
		}
		gr.n = uint32(j - i)
		groups = append(groups, gr)
		i = j
	}
	sc.groups = groups
	// which cells of the row each group's edges touch
	pairs := sc.pairs[:0]
	for gi := range groups {
		gr := &groups[gi]
		for k := uint32(0); k < gr.n; k++ {
			o := (gr.start + k) * 4
			ex0 := math.Min(b.edges[o], b.edges[o+2])
			ex1 := math.Max(b.edges[o], b.edges[o+2])
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
		off := len(b.cands)
		b.cands = append(b.cands, cellCand{}) // header
		b.header = append(b.header, true)
		for _, pr := range touch {
			gr := groups[uint32(pr)]
			// prefix of edges whose east end reaches x0
			n := uint32(sort.Search(int(gr.n), func(k int) bool {
				o := (gr.start + uint32(k)) * 4
				return math.Max(b.edges[o], b.edges[o+2]) < x0
			}))
			b.cands = append(b.cands, cellCand{grid: gr.grid, start: gr.start, n: n})
			b.header = append(b.header, false)
		}
		// grids that hold the cell without a border in it (a grid around a
		// hole, or overlapping layers) are candidates too
		for _, cv := range x.coverers(grids, tree, r, c, touch, groups) {
			b.cands = append(b.cands, cv)
			b.header = append(b.header, false)
		}
		b.cands[off].grid = uint32(len(b.cands) - off - 1)
		cells[c] = uint32(off)
	}
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

// coverers returns, as candidates, the grids that hold the centre of cell
// (r, c) although none of their edges touch it (a neighbour's edge whose box
// reaches into the cell makes the cell a border cell).
func (x *cellIndex) coverers(grids []orb.MultiPolygon, tree *rtree.RTreeG[int], r, c int, touching []uint64, groups []cellGroup) []cellCand {
	var out []cellCand
	for _, gi := range holders(grids, tree, x.centre(r, c)) {
		dup := false
		for _, t := range touching {
			if groups[uint32(t)].grid == uint32(gi) {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		for _, gr := range groups {
			if gr.grid == uint32(gi) {
				// the cell lies wholly east of the grid's edges' west ends
				// only when none touch it; use the whole group
				out = append(out, cellCand{grid: gr.grid, start: gr.start, n: gr.n})
			}
		}
	}
	return out
}

// locate returns the grid that owns (lon, lat) under the semi-open rule, or
// -1.
func (x *cellIndex) locate(px, py float64) int {
	fx := (px - x.minX) * x.invW
	fy := (py - x.minY) * x.invH
	if !(fx >= 0 && fy >= 0 && fx < float64(x.nx) && fy < float64(x.ny)) {
		return -1
	}
	w := x.cells[int(fy)*x.nx+int(fx)]
	if w&interiorFlag != 0 {
		o := w &^ interiorFlag
		if o == noOwner {
			return -1
		}
		return int(o)
	}
	return x.locateBorder(w, px, py)
}

// locateBorder is locate's answer for a point in the border cell whose word
// is w.
func (x *cellIndex) locateBorder(w uint32, px, py float64) int {
	cands := x.candidates(w)
	for _, cd := range cands {
		e := x.edges[cd.start*4 : (cd.start+cd.n)*4]
		odd := false
		for i := 0; i+3 < len(e); i += 4 {
			ay, by := e[i+1], e[i+3]
			if !(ay <= py && py < by) {
				continue
			}
			ax, bx := e[i], e[i+2]
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
		if odd {
			return int(cd.grid)
		}
	}
	// No grid owns the point by the semi-open rule: it may still lie on the
	// outer border of the layer's coverage (east and north sides), where the
	// closed polygon covers it and no neighbour would take it.
	return x.onBorder(px, py, cands)
}

// candidates returns the candidate list of a border cell's word.
func (x *cellIndex) candidates(w uint32) []cellCand {
	n := x.cands[w].grid
	return x.cands[w+1 : w+1+n]
}

// onBorder returns the candidate grid with an edge that passes exactly
// through (px, py), by the exact orientation predicate, or -1. It closes the
// outer border of a layer's coverage: a point exactly on it belongs to the
// grid inside, as the grid's closed polygon covers it.
func (x *cellIndex) onBorder(px, py float64, cands []cellCand) int {
	for _, cd := range cands {
		e := x.edges[cd.start*4 : (cd.start+cd.n)*4]
		for i := 0; i+3 < len(e); i += 4 {
			if onSegment(e[i], e[i+1], e[i+2], e[i+3], px, py) {
				return int(cd.grid)
			}
		}
	}
	return -1
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
