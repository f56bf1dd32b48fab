package index

import "github.com/paulmach/orb"

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
// row). The answer is therefore exactly that of geo.Contains over the whole grid,
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

func (x *cellIndex) clampRow(r int) int { return min(max(r, 0), x.ny-1) }
func (x *cellIndex) clampCol(c int) int { return min(max(c, 0), x.nx-1) }

// centre returns the centre of cell (r, c), (lon, lat).
func (x *cellIndex) centre(r, c int) orb.Point {
	return orb.Point{x.minX + (float64(c)+0.5)*x.cellW, x.minY + (float64(r)+0.5)*x.cellH}
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
