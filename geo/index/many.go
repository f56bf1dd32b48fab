package index

import (
	"runtime"

	"github.com/paulmach/orb"
)

// manyBlock is how many points the batched lookups take through each stage
// together. A lookup over an index far larger than the processor's cache
// waits on memory two to four times in a row (cell word, candidates, edges,
// ancestors); a stage that only loads, for a block of independent points,
// lets the processor keep that many memory reads in flight at once instead
// of one. 32 covers the misses a core can have outstanding with room to spare
// and keeps the block's scratch on the stack.
const manyBlock = 32

// locateMany sets out[k] to locate(pts[k]) for every k, in blocks of
// manyBlock points taken through the memory stages together. pts are (lon,
// lat), WGS84.
func (x *cellIndex) locateMany(pts []orb.Point, out []int32) {
	var w [manyBlock]uint32
	for base := 0; base < len(pts); base += manyBlock {
		blk := pts[base:min(base+manyBlock, len(pts))]
		res := out[base : base+len(blk)]
		// stage 1: the answers of the hot level, else the cell words. A
		// hot level larger than the cache is left to single lookups: its
		// reads wait on its codes, point after point, where the cell words
		// of a block are read together (in the province, batches took 0.97
		// of the time of the hot level with its words loaded ahead, which
		// took 0.93 of the time of the level read point by point;
		// docs/performance.md)
		hot := x.hot
		if hot != nil && hot.large {
			hot = nil
		}
		for k, p := range blk {
			fx := (p[0] - x.minX) * x.invW
			fy := (p[1] - x.minY) * x.invH
			if !(fx >= 0 && fy >= 0 && fx < float64(x.nx) && fy < float64(x.ny)) {
				w[k] = interiorFlag | noOwner
				continue
			}
			c, r := int(fx), int(fy)
			if hot != nil {
				if g, ok := hot.locate(c, r, fx, fy); ok {
					w[k] = interiorFlag | noOwner
					if g >= 0 {
						w[k] = interiorFlag | uint32(g)
					}
					continue
				}
			}
			w[k] = x.cells[r*x.nx+c]
		}
		// stage 2: the first word of each border cell's candidates (a
		// border cell's words are contiguous, mostly within a line or two)
		var touch uint32
		for k := range blk {
			if w[k]&interiorFlag == 0 {
				touch += uint32(x.border[w[k]])
			}
		}
		// stage 3: the answers
		for k, p := range blk {
			if w[k]&interiorFlag != 0 {
				o := w[k] &^ interiorFlag
				if o == noOwner {
					res[k] = -1
				} else {
					res[k] = int32(o)
				}
				continue
			}
			res[k] = int32(x.locateBorder(w[k], p[0], p[1]))
		}
		sinkTouch(touch)
	}
}

// touched keeps the loads of the touch stages from being optimised away.
var touched uint32

//go:noinline
func sinkTouch(v uint32) {
	if v == 0x9e3779b9 {
		touched++
	}
}

// AppendChainsMany looks up every point of pts, (lon, lat) WGS84, as
// AppendChains does, and appends their chains to dst one after another;
// ends[k] is set to len(dst) after the chain of pts[k], so the chain of
// pts[k] is dst[ends[k-1]:ends[k]] (from the length dst had on entry for k =
// 0). ends must be as long as pts. The answers are those of AppendChains;
// only the order of memory reads differs, taken a block of points at a time,
// which on an index larger than the processor's cache is several times
// faster per point than one AppendChains call after another. It allocates
// nothing when dst has room.
func (x *Index) AppendChainsMany(dst []Hit, ends []int, pts []orb.Point) []Hit {
	return x.AppendQueryMany(dst, ends, pts, &chainsOnly)
}

// chainsOnly is the Query that AppendChains answers: every layer, no
// boundary flags, no nearest fallback.
var chainsOnly = Query{BoundaryM: -1}

// AppendQueryMany is AppendQuery for many points at once, (lon, lat) WGS84,
// with the chains laid out as in AppendChainsMany.
func (x *Index) AppendQueryMany(dst []Hit, ends []int, pts []orb.Point, q *Query) []Hit {
	if len(ends) < len(pts) {
		panic("index: AppendQueryMany: ends shorter than pts")
	}
	defer runtime.KeepAlive(x) // see "Memory outside the heap" in doc.go
	nb := len(x.leaves)
	if nb > maxManyBranches {
		// many branches: one point at a time
		for k, p := range pts {
			dst = x.AppendQuery(dst, p[0], p[1], q)
			ends[k] = len(dst)
		}
		return dst
	}
	// located[k*nb+bi] is point k's grid in branch bi
	var located [manyBlock * maxManyBranches]layerGrid
	var owners [manyBlock]int32
	var todo [manyBlock]int32 // points of the block still without a grid
	var sub [manyBlock]orb.Point
	for base := 0; base < len(pts); base += manyBlock {
		blk := pts[base:min(base+manyBlock, len(pts))]
		for bi, leaf := range x.leaves {
			// the finest layer for all, then each coarser layer for the
			// points the finer ones left
			n := len(blk)
			for k := range blk {
				todo[k] = int32(k)
				sub[k] = blk[k]
				located[k*nb+bi] = layerGrid{-1, -1}
			}
			for l := leaf; l >= 0 && n > 0; l = x.layers[l].parentLayer {
				x.layers[l].cells.locateMany(sub[:n], owners[:n])
				left := 0
				for i := 0; i < n; i++ {
					k := todo[i]
					if g := owners[i]; g >= 0 {
						located[int(k)*nb+bi] = layerGrid{int32(l), g}
						continue
					}
					todo[left], sub[left] = k, sub[i]
					left++
				}
				n = left
			}
		}
		// the ancestor rows of the grids, loaded for all before use
		var touch uint32
		for _, lg := range located[:len(blk)*nb] {
			if lg.layer < 0 {
				continue
			}
			li := x.layers[lg.layer]
			if depth := len(li.upLayers); depth > 0 {
				touch += uint32(li.up[int(lg.grid)*depth])
			}
		}
		sinkTouch(touch)
		for k, p := range blk {
			dst = x.appendQuery(dst, p[0], p[1], q, located[k*nb:k*nb+nb])
			ends[base+k] = len(dst)
		}
	}
	return dst
}

// maxManyBranches is the most branches AppendQueryMany takes through its
// stages; data with more (rare) is answered one point at a time.
const maxManyBranches = 8

// layerGrid names a grid by the positions of its layer and of itself.
type layerGrid struct{ layer, grid int32 }
