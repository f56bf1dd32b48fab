package index

import (
	"runtime"
	"slices"

	"github.com/gridmap/gridmap/internal/bigmem"
)

// AppendChains appends to dst the chains of the point (lon, lat), WGS84: for
// the finest layer of every branch, the owning grid and its ancestors up to
// the root, finest first. When a branch's finest layer does not cover the
// point, its coarser layers are tried in turn. It allocates nothing when dst
// has room.
func (x *Index) AppendChains(dst []Hit, lon, lat float64) []Hit {
	for _, leaf := range x.leaves {
		for l := leaf; l >= 0; l = x.layers[l].parentLayer {
			g := x.layers[l].cells.locate(lon, lat)
			if g < 0 {
				continue
			}
			dst = x.appendAncestors(dst, l, g)
			break
		}
	}
	runtime.KeepAlive(x) // see "Memory outside the heap" in doc.go
	return dst
}

// AppendChainOf appends to dst the chain of grid g of layer l (positions
// in Dataset.Layers and in the layer's Grids): the grid and its ancestors
// up to the root, finest first, as AppendChains answers them for a point
// of g, with no flag set.
func (x *Index) AppendChainOf(dst []Hit, l, g int) []Hit {
	dst = x.appendAncestors(dst, l, g)
	runtime.KeepAlive(x) // see "Memory outside the heap" in doc.go
	return dst
}

// buildUp fills li.up and li.upLayers from the parent links.
func (x *Index) buildUp(li *layerIndex) {
	for l := li.parentLayer; l >= 0; l = x.layers[l].parentLayer {
		li.upLayers = append(li.upLayers, int32(l))
		if len(li.upLayers) > len(x.layers) {
			break // a cycle; NewDataset prevents it
		}
	}
	depth := len(li.upLayers)
	if depth == 0 {
		return
	}
	var free func()
	li.up, free = bigmem.Alloc[int32](len(li.parent) * depth)
	bigmem.ReleaseWith(x, free)
	for g := range li.parent {
		p := li.parent[g]
		for k := 0; k < depth; k++ {
			li.up[g*depth+k] = p
			if p >= 0 && k+1 < depth {
				p = x.layers[li.upLayers[k]].parent[p]
			}
		}
	}
}

// appendAncestors appends grid g of layer l and its ancestors.
//
// The hits are written field by field into their slots: a Hit composite
// literal is built on the stack by the compiler and copied with one 16-byte
// load that cannot be forwarded from the two 4-byte stores before it, a stall
// that cost more than the rest of the chain (42 of 64 ns on a cached lookup).
func (x *Index) appendAncestors(dst []Hit, l, g int) []Hit {
	li := x.layers[l]
	depth := len(li.upLayers)
	n := len(dst)
	if cap(dst)-n < depth+1 {
		dst = slices.Grow(dst, depth+1)
	}
	out := dst[n : n+depth+1]
	setHit(&out[0], int32(l), int32(g))
	k := 0
	if depth > 0 {
		up := li.up[g*depth : g*depth+depth]
		for ; k < len(up) && up[k] >= 0; k++ {
			setHit(&out[k+1], li.upLayers[k], up[k])
		}
	}
	return dst[:n+1+k]
}

// setHit sets h to the plain hit of grid g of layer l.
func setHit(h *Hit, l, g int32) {
	h.Layer = l
	h.Grid = g
	h.DistanceM = 0
	h.Branch = 0
	h.Boundary = false
	h.Nearest = false
}

// appendAncestorsSlow is appendAncestors by walking the parent links; the
// tests hold the two to the same answers.
func (x *Index) appendAncestorsSlow(dst []Hit, l, g int) []Hit {
	for l >= 0 && g >= 0 {
		dst = append(dst, Hit{Layer: int32(l), Grid: int32(g)})
		li := x.layers[l]
		if li.parentLayer < 0 {
			break
		}
		g = int(li.parent[g])
		l = li.parentLayer
	}
	return dst
}
