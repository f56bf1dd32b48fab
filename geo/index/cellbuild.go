package index

import (
	"math"
	"runtime"
	"sync"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/internal/bigmem"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// edgeRec is an edge during the build: lower end first.
type edgeRec struct {
	ax, ay, bx, by float64
	grid           uint32
}

// cellBuild is what the rows of a cell index are built from: the layer's
// grids (WGS84 lon/lat), an R-tree over their bounds, their edges, the edges
// of each row, and the margins that make the cells of the build slightly
// larger than those of a query, so rounding in the cell computation never
// misses an edge.
type cellBuild struct {
	x     *cellIndex
	grids []orb.MultiPolygon
	tree  *rtree.RTreeG[int]
	edges []edgeRec
	// rowIDs[rowStart[r]:rowStart[r+1]] are the edges that meet row r.
	rowStart, rowIDs []int32
	mx, my           float64
}

// buildCellIndex indexes grids (WGS84 lon/lat) with about targetCells cells.
func buildCellIndex(grids []orb.MultiPolygon, targetCells int) *cellIndex {
	edges, b, ok := collectEdges(grids)
	if !ok {
		return emptyCellIndex()
	}
	x := newCellIndex(b, targetCells)
	cb := &cellBuild{x: x, grids: grids, tree: boundTree(grids), edges: edges}
	cb.mx, cb.my = x.margins()
	cb.bucketRows()
	x.mergeBands(cb.buildRows())
	return x
}

// boundTree returns an R-tree over the bounds of grids, by position.
func boundTree(grids []orb.MultiPolygon) *rtree.RTreeG[int] {
	tree := &rtree.RTreeG[int]{}
	for gi, mp := range grids {
		gb := mp.Bound()
		tree.Insert([2]float64(gb.Min), [2]float64(gb.Max), gi)
	}
	return tree
}

// collectEdges returns every edge of grids, lower end first (degenerate
// edges left out), and the bound of their vertices; false when the grids
// have no vertex at all.
func collectEdges(grids []orb.MultiPolygon) ([]edgeRec, orb.Bound, bool) {
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
				edges = appendRingEdges(edges, r, uint32(gi))
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
	return edges, b, !first
}

// appendRingEdges appends the edges of ring r of grid gi, lower end first.
func appendRingEdges(edges []edgeRec, r orb.Ring, gi uint32) []edgeRec {
	n := len(r)
	for i := 0; i < n; i++ {
		a, c := r[i], r[(i+1)%n]
		if a == c {
			continue
		}
		if a[1] > c[1] || (a[1] == c[1] && a[0] > c[0]) {
			a, c = c, a
		}
		edges = append(edges, edgeRec{a[0], a[1], c[0], c[1], gi})
	}
	return edges
}

// emptyCellIndex is the index of a layer with no geometry at all: one empty
// cell.
func emptyCellIndex() *cellIndex {
	x := &cellIndex{maxAbsLat: -1}
	x.nx, x.ny = 1, 1
	x.cellW, x.cellH, x.invW, x.invH = 1, 1, 1, 1
	x.cells = []uint32{interiorFlag | noOwner}
	return x
}

// newCellIndex lays about targetCells square cells over bound b (lon, lat
// degrees) and allocates their words.
func newCellIndex(b orb.Bound, targetCells int) *cellIndex {
	x := &cellIndex{maxAbsLat: -1}
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
		x.minKx, _ = geo.MetresPerDegree(top)
	}
	var freeCells func()
	x.cells, freeCells = bigmem.Alloc[uint32](x.nx * x.ny)
	bigmem.ReleaseWith(x, freeCells)
	return x
}

// margins returns by how much, in degrees of lon and lat, the build widens
// a cell (or subcell) on each side, so that rounding in a query's cell
// computation never misses an edge.
func (x *cellIndex) margins() (mx, my float64) {
	return x.cellW*1e-6 + 1e-12, x.cellH*1e-6 + 1e-12
}

// rowSpan returns the first and last rows that edge e, widened by the
// margin, meets.
func (cb *cellBuild) rowSpan(e *edgeRec) (int, int) {
	x := cb.x
	return x.clampRow(int(math.Floor((e.ay - cb.my - x.minY) * x.invH))),
		x.clampRow(int(math.Floor((e.by + cb.my - x.minY) * x.invH)))
}

// bucketRows puts every edge in the bucket of each row its y-range meets
// (counted first, then filled, so that the buckets are one array).
func (cb *cellBuild) bucketRows() {
	ny := cb.x.ny
	rowStart := make([]int32, ny+1)
	for i := range cb.edges {
		r0, r1 := cb.rowSpan(&cb.edges[i])
		for r := r0; r <= r1; r++ {
			rowStart[r+1]++
		}
	}
	for r := 0; r < ny; r++ {
		rowStart[r+1] += rowStart[r]
	}
	rowIDs := make([]int32, rowStart[ny])
	fill := append([]int32(nil), rowStart[:ny]...)
	for i := range cb.edges {
		r0, r1 := cb.rowSpan(&cb.edges[i])
		for r := r0; r <= r1; r++ {
			rowIDs[fill[r]] = int32(i)
			fill[r]++
		}
	}
	cb.rowStart, cb.rowIDs = rowStart, rowIDs
}

// buildRows builds every row. Rows are independent: workers take bands of
// rows, each writing its own border words, merged afterwards (mergeBands).
func (cb *cellBuild) buildRows() []cellBand {
	ny := cb.x.ny
	workers := min(runtime.GOMAXPROCS(0), max(1, ny/16))
	bands := make([]cellBand, workers*4)
	per := (ny + len(bands) - 1) / len(bands)
	next := make(chan int, len(bands))
	for i := range bands {
		b := &bands[i]
		b.r0, b.r1 = min(i*per, ny), min((i+1)*per, ny)
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sc rowScratch
			for i := range next {
				b := &bands[i]
				for r := b.r0; r < b.r1; r++ {
					cb.buildRow(b, &sc, r)
				}
			}
		}()
	}
	wg.Wait()
	return bands
}

// mergeBands lays the border words of the bands end to end in x.border and
// shifts their cells' offsets.
func (x *cellIndex) mergeBands(bands []cellBand) {
	n := 0
	for i := range bands {
		n += len(bands[i].border)
	}
	if n >= int(interiorFlag) {
		panic("index: cell index too large")
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
}
