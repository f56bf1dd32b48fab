package index

import (
	"math"
	"math/bits"
)

// hotLevel answers most points of a cellIndex from a few megabytes, so that
// a layer whose cells and candidates exceed the share of the processor's
// cache a busy machine leaves it still answers most lookups without a read
// from main memory.
//
// It describes the cells in blocks of 4 × 4. A block is two words: the first
// holds a 2-bit code per cell and, in its high half, the rank of the block's
// first cell with code 3 among all such cells; the second holds the block's
// palette, three owners of ownerBits each. A code below 3 names the palette
// entry that owns the whole cell (the entry may be noPalOwner: no grid). Code
// 3 is a border cell: its own word in subs holds a 2-bit code for each of
// its 4 × 4 subcells, again naming a palette entry that owns the whole
// subcell, or 3 when an edge touches the subcell or its owner is not in the
// palette. Only then does the lookup read the cell's word and candidates. (An
// interior cell whose owner is not in the palette also has code 3, and a
// subcell word of all 3s.)
//
// The boundary flag reads it too (noEdgeNear): a point whose tolerance box
// meets only cells and subcells with codes below 3 is near no border.
//
// On the Jiangyin micro grids the level is 2.9 MB against 40 MB of cells and
// candidates, and sends on 2.6 % of the area of its cells. Every layer gets
// one when it fits in hotMaxBytes: a point outside the finest layer is tried
// in the coarser ones, and each flag of a chain reads its own layer.
type hotLevel struct {
	nbx    int      // blocks per row
	blocks []uint64 // two words per block, row-major
	subs   []uint32 // one word per cell with code 3, in block then cell order
	// large is set when the level is larger than the processor's cache
	// (hotCacheBytes): batches then read the cell words instead (see
	// locateMany).
	large bool
}

// hotCacheBytes is the size above which a hot level is taken to live in
// memory rather than in the processor's cache (32 MB of last-level cache on
// the machines of docs/performance.md).
const hotCacheBytes = 32 << 20

const (
	hotShift   = 2 // a block is 1<<hotShift cells on a side
	hotSide    = 1 << hotShift
	subSide    = 4 // a border cell is subSide subcells on a side
	ownerBits  = 21
	ownerMask  = 1<<ownerBits - 1
	noPalOwner = ownerMask // palette entry: no grid owns the cell
	codeBorder = 3
	paletteLen = 3
	// lowBits selects the low bit of every 2-bit code of a word.
	lowBits = 0x55555555
)

// locate answers the point at fractional cell position (fx, fy), in cell
// (c, r), when the hot level can: the grid or -1 for none, and true; or
// false when the point needs the cell's candidates.
func (h *hotLevel) locate(c, r int, fx, fy float64) (int, bool) {
	lo, shift, b := h.cell(c, r)
	code := uint32(lo) >> shift & 3
	if code == codeBorder {
		// fx - c and fy - r are exact, and scaling by a power of two is
		// too, so the subcell is that of the build
		sx := int((fx - float64(c)) * subSide)
		sy := int((fy - float64(r)) * subSide)
		code = h.sub(lo, shift) >> uint((sy*subSide+sx)*2) & 3
		if code == codeBorder {
			return 0, false
		}
	}
	o := int(h.blocks[b+1] >> (code * ownerBits) & ownerMask)
	if o == noPalOwner {
		return -1, true
	}
	return o, true
}

// cell returns the first word of the block of cell (c, r), the shift of
// the cell's code in it, and the position of the word in blocks.
func (h *hotLevel) cell(c, r int) (lo uint64, shift uint, b int) {
	b = 2 * ((r>>hotShift)*h.nbx + c>>hotShift)
	return h.blocks[b], uint(((r&(hotSide-1))<<hotShift | c&(hotSide-1)) * 2), b
}

// sub returns the subcell word of the cell with code 3 at shift in the
// block whose first word is lo. It is found by its rank: the block's first,
// plus the cells with code 3 before it in the block.
func (h *hotLevel) sub(lo uint64, shift uint) uint32 {
	return h.subs[int(lo>>32)+bits.OnesCount32(code3(uint32(lo))&(1<<shift-1))]
}

// code3 returns the low bit of every 2-bit code of codes that is 3.
func code3(codes uint32) uint32 { return codes & (codes >> 1) & lowBits }

// noEdgeNear reports whether the hot level of x proves that no edge of x's
// layer meets the box of half sides (tx, ty) degrees around (px, py),
// WGS84: every cell the box meets has a code below 3, or, for a border cell,
// every subcell the box meets does. False means it cannot tell. The cells
// and subcells were widened in the build, so the rounding of the box's cells
// here cannot hide an edge.
func (h *hotLevel) noEdgeNear(x *cellIndex, px, py, tx, ty float64) bool {
	c0, c1, r0, r1 := x.cellBox(px, py, tx, ty)
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			lo, shift, _ := h.cell(c, r)
			if uint32(lo)>>shift&3 != codeBorder {
				continue
			}
			sub := h.sub(lo, shift)
			// the subcells of this cell that the box meets
			fx0 := ((px-tx-x.minX)*x.invW - float64(c)) * subSide
			fx1 := ((px+tx-x.minX)*x.invW - float64(c)) * subSide
			fy0 := ((py-ty-x.minY)*x.invH - float64(r)) * subSide
			fy1 := ((py+ty-x.minY)*x.invH - float64(r)) * subSide
			sx0, sx1 := clampSub(fx0), clampSub(fx1)
			sy0, sy1 := clampSub(fy0), clampSub(fy1)
			for sy := sy0; sy <= sy1; sy++ {
				for sx := sx0; sx <= sx1; sx++ {
					if sub>>uint((sy*subSide+sx)*2)&3 == codeBorder {
						return false
					}
				}
			}
		}
	}
	return true
}

// clampSub returns the subcell of a fractional subcell position, clamped to
// the cell.
func clampSub(f float64) int {
	return min(max(int(math.Floor(f)), 0), subSide-1)
}

// bytes returns the memory of the level's arrays.
func (h *hotLevel) bytes() int {
	if h == nil {
		return 0
	}
	return len(h.blocks)*8 + len(h.subs)*4
}
