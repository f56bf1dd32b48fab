package index

import (
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"

	"github.com/gridmap/gridmap/internal/bigmem"
)

// hotMaxBytes bounds the hot level of a layer, as a guard on memory: a
// level takes about 1.6 bytes per cell against the cells' 4 and their
// candidates, and the palette's limit on grid numbers (noPalOwner) already
// bounds it below 1 GB. A level larger than the processor's cache still
// pays: in front of the 100-Jiangyin province's micro grids (0.29 GB against
// 4.3 GB of cells and candidates) it made single lookups 8 % faster and
// Locate 14 % (docs/performance.md), its reads being four times denser.
const hotMaxBytes = 1 << 30

// hotBytes returns the size of the hot level of x, before it is built (or a
// lower bound above hotMaxBytes), or -1 when its palette cannot name x's
// grid numbers.
func (x *cellIndex) hotBytes(grids int) int {
	if grids >= noPalOwner {
		return -1
	}
	nbx, nby := (x.nx+hotSide-1)/hotSide, (x.ny+hotSide-1)/hotSide
	n := nbx * nby * 16
	if n > hotMaxBytes {
		return n
	}
	for _, w := range x.cells {
		if w&interiorFlag == 0 {
			n += 4
		}
	}
	return n
}

// buildHot builds x's hot level, when it fits in hotMaxBytes, for a layer of
// the given number of grids.
func (x *cellIndex) buildHot(grids int) {
	if n := x.hotBytes(grids); n < 0 || n > hotMaxBytes {
		return
	}
	h := &hotLevel{nbx: (x.nx + hotSide - 1) / hotSide}
	nby := (x.ny + hotSide - 1) / hotSide
	var freeBlocks, freeSubs func()
	h.blocks, freeBlocks = bigmem.Alloc[uint64](2 * h.nbx * nby)
	bigmem.ReleaseWith(x, freeBlocks)
	// block rows are independent: each gets its codes, palettes and the
	// words of its cells with code 3, which are then laid end to end
	rowSubs := make([][]uint32, nby)
	rows := make(chan int, nby)
	for by := 0; by < nby; by++ {
		rows <- by
	}
	close(rows)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), nby) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sc hotScratch
			for by := range rows {
				var subs []uint32
				for bx := 0; bx < h.nbx; bx++ {
					subs = x.buildHotBlock(h, &sc, bx, by, subs)
				}
				rowSubs[by] = subs
			}
		}()
	}
	wg.Wait()
	n := 0
	for _, s := range rowSubs {
		n += len(s)
	}
	h.subs, freeSubs = bigmem.Alloc[uint32](n)
	bigmem.ReleaseWith(x, freeSubs)
	rank := 0
	for by, s := range rowSubs {
		copy(h.subs[rank:], s)
		for bx := 0; bx < h.nbx; bx++ {
			lo := &h.blocks[2*(by*h.nbx+bx)]
			*lo |= uint64(rank) << 32
			rank += bits.OnesCount32(code3(uint32(*lo)))
		}
	}
	h.large = h.bytes() > hotCacheBytes
	x.hot = h
}

// eachBlockCell calls f with the column, row and word of each cell of block
// (bx, by) inside the grid, in code order.
func (x *cellIndex) eachBlockCell(bx, by int, f func(c, r int, w uint32)) {
	for j := 0; j < hotSide; j++ {
		r := by*hotSide + j
		if r >= x.ny {
			return
		}
		for i := 0; i < hotSide; i++ {
			c := bx*hotSide + i
			if c < x.nx {
				f(c, r, x.cells[r*x.nx+c])
			}
		}
	}
}

// blockPart is a cell (sub < 0) or a subcell of a block during the build,
// with its owner (noPalOwner: none; -1: an edge touches it).
type blockPart struct {
	pos, sub int
	owner    int
}

// hotScratch is reused from block to block by one builder.
type hotScratch struct {
	parts  []blockPart
	weight map[int]int
	owners []int
}

// buildHotBlock writes the codes and the palette of block (bx, by) of h and
// appends to subs the words of its cells with code 3, in code order.
func (x *cellIndex) buildHotBlock(h *hotLevel, sc *hotScratch, bx, by int, subs []uint32) []uint32 {
	x.blockParts(sc, bx, by)
	owners, pal := sc.palette()
	code := func(o int) uint32 {
		if k := slices.Index(owners, o); k >= 0 && o >= 0 {
			return uint32(k)
		}
		return codeBorder
	}
	parts := sc.parts
	var codes uint32
	for i := 0; i < len(parts); {
		p := parts[i]
		if p.sub < 0 {
			// an interior cell; one whose owner missed the palette
			// is sent on to its cell word
			k := code(p.owner)
			codes |= k << (2 * p.pos)
			if k == codeBorder {
				subs = append(subs, math.MaxUint32)
			}
			i++
			continue
		}
		// a border cell: its subcells follow in order
		codes |= codeBorder << (2 * p.pos)
		var sub uint32
		for ; i < len(parts) && parts[i].pos == p.pos; i++ {
			sub |= code(parts[i].owner) << (2 * parts[i].sub)
		}
		subs = append(subs, sub)
	}
	h.blocks[2*(by*h.nbx+bx)] = uint64(codes)
	h.blocks[2*(by*h.nbx+bx)+1] = pal
	return subs
}

// blockParts sets sc.parts to the cells and subcells of block (bx, by),
// each with its owner, and sc.weight to the area (in subcells) of each
// owner in the block.
func (x *cellIndex) blockParts(sc *hotScratch, bx, by int) {
	parts := sc.parts[:0]
	if sc.weight == nil {
		sc.weight = map[int]int{}
	}
	weight := sc.weight
	clear(weight)
	x.eachBlockCell(bx, by, func(c, r int, w uint32) {
		pos := (r-by*hotSide)*hotSide + (c - bx*hotSide)
		if w&interiorFlag != 0 {
			o := int(w &^ interiorFlag)
			if w&^interiorFlag == noOwner {
				o = noPalOwner
			}
			parts = append(parts, blockPart{pos, -1, o})
			weight[o] += subSide * subSide
			return
		}
		for s := 0; s < subSide*subSide; s++ {
			o := x.subcellOwner(w, c, r, s%subSide, s/subSide)
			parts = append(parts, blockPart{pos, s, o})
			if o >= 0 {
				weight[o]++
			}
		}
	})
	sc.parts = parts
}

// palette returns the block's palette from sc.weight: the owners of the
// most area, ties to the lower number, at most paletteLen, and the word
// that holds them (noPalOwner in the entries left over).
func (sc *hotScratch) palette() ([]int, uint64) {
	weight := sc.weight
	owners := sc.owners[:0]
	for o := range weight {
		owners = append(owners, o)
	}
	slices.SortFunc(owners, func(a, b int) int {
		if weight[a] != weight[b] {
			return weight[b] - weight[a]
		}
		return a - b
	})
	sc.owners = owners
	owners = owners[:min(len(owners), paletteLen)]
	var pal uint64
	for k := 0; k < paletteLen; k++ {
		o := noPalOwner
		if k < len(owners) {
			o = owners[k]
		}
		pal |= uint64(o) << (k * ownerBits)
	}
	return owners, pal
}

// subcellOwner returns the grid that owns the whole subcell (sx, sy) of the
// border cell (c, r) with word w, noPalOwner when no grid covers it, or -1
// when an edge of a candidate touches it. The subcell is widened as the
// cells of the build are, so that no point a query rounds into it escapes
// the test.
func (x *cellIndex) subcellOwner(w uint32, c, r, sx, sy int) int {
	sw, sh := x.cellW/subSide, x.cellH/subSide
	x0 := x.minX + float64(c)*x.cellW + float64(sx)*sw
	y0 := x.minY + float64(r)*x.cellH + float64(sy)*sh
	mx, my := x.margins()
	x0, y0 = x0-mx, y0-my
	x1, y1 := x0+sw+2*mx, y0+sh+2*my
	for i := int(w); ; {
		cd, next := candAt(x.border, i)
		e := cd.edges
		for k := 0; k+3 < len(e); k += 4 {
			if segMeetsBox(math.Float64frombits(e[k]), math.Float64frombits(e[k+1]),
				math.Float64frombits(e[k+2]), math.Float64frombits(e[k+3]), x0, y0, x1, y1) {
				return -1
			}
		}
		if cd.last {
			break
		}
		i = next
	}
	// no edge: one face holds the subcell, and its centre tells which
	if g := x.locateBorder(w, (x0+x1)/2, (y0+y1)/2); g >= 0 {
		return g
	}
	return noPalOwner
}

// segMeetsBox reports whether the segment (ax, ay)–(bx, by) may meet the box
// [x0, x1] × [y0, y1]; it never says no when they meet. The box is first
// widened by the caller, so rounding in the side test cannot hide an edge
// that meets the unwidened box.
func segMeetsBox(ax, ay, bx, by, x0, y0, x1, y1 float64) bool {
	if max(ax, bx) < x0 || min(ax, bx) > x1 || max(ay, by) < y0 || min(ay, by) > y1 {
		return false
	}
	side := func(px, py float64) float64 { return (bx-ax)*(py-ay) - (by-ay)*(px-ax) }
	s0, s1, s2, s3 := side(x0, y0), side(x1, y0), side(x0, y1), side(x1, y1)
	return !(s0 > 0 && s1 > 0 && s2 > 0 && s3 > 0) && !(s0 < 0 && s1 < 0 && s2 < 0 && s3 < 0)
}
