package geo

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/gridmap/gridmap/internal/bigmem"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Index answers point lookups over every layer of a Dataset. It is built
// once per version and is safe for concurrent use; it never changes after
// NewIndex returns.
type Index struct {
	data   *Dataset
	layers []*layerIndex
	// leaves are the positions (in data.Layers) of the finest layer of each
	// branch, finest first.
	leaves []int
}

type layerIndex struct {
	cells *cellIndex
	// tree is an R-tree over the grids' bounding boxes, built on first use
	// by the nearest fallback.
	treeOnce sync.Once
	tree     *rtree.RTreeG[int]
	// parentLayer is the position of the parent layer, or -1.
	parentLayer int
	// parent[i] is the position of grid i's parent in the parent layer, or
	// -1 when it has none there.
	parent []int32
	// up lists, for each grid, the positions of its ancestors level by
	// level (depth entries per grid, -1 past a missing link), and upLayers
	// the layer of each level: a chain is one contiguous read.
	up       []int32
	upLayers []int32
}

// Hit is one grid of a lookup's chain.
type Hit struct {
	// Layer is the position of the layer in Dataset.Layers.
	Layer int32
	// Grid is the position of the grid in its layer's Grids.
	Grid int32
	// DistanceM is, for a nearest hit, the distance in metres from the
	// point to the finest grid's boundary.
	DistanceM float32
	// Branch numbers the chain the hit belongs to (AppendQuery): one chain
	// per finest layer of a branch of the layer trees.
	Branch uint16
	// Boundary is true when the point lies within the query's tolerance
	// of a border of this layer.
	Boundary bool
	// Nearest is true when no grid covers the point and this one is the
	// nearest within the query's distance.
	Nearest bool
}

// NewIndex builds the point index of every layer of d. d must not change
// afterwards.
func NewIndex(d *Dataset) (*Index, error) {
	x := &Index{data: d, layers: make([]*layerIndex, len(d.Layers))}
	pos := map[string]int{}
	for i, l := range d.Layers {
		pos[l.Name] = i
	}
	for i, l := range d.Layers {
		li := &layerIndex{parentLayer: -1}
		if l.Parent != "" {
			pi, ok := pos[l.Parent]
			if !ok {
				return nil, fmt.Errorf("layer %q: parent layer %q not in dataset", l.Name, l.Parent)
			}
			li.parentLayer = pi
			pl := d.Layers[pi]
			var free func()
			li.parent, free = bigmem.Alloc[int32](len(l.Grids))
			bigmem.ReleaseWith(x, free)
			for gi, g := range l.Grids {
				li.parent[gi] = int32(pl.Index(g.Parent))
			}
		}
		x.layers[i] = li
	}
	// the cell indexes of the layers are independent: build them in
	// parallel, largest first
	leaves := d.Leaves()
	order := make([]int, len(d.Layers))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return d.Layers[order[a]].Vertices() > d.Layers[order[b]].Vertices() })
	work := make(chan int, len(order))
	for _, i := range order {
		work <- i
	}
	close(work)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(order)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				l := d.Layers[i]
				geoms := make([]orb.MultiPolygon, len(l.Grids))
				for gi, g := range l.Grids {
					geoms[gi] = g.Geom
				}
				n := cellsFor(len(l.Grids), l.Vertices())
				leaf := slices.Contains(leaves, l)
				if leaf {
					n *= leafCellFactor
				}
				c := buildCellIndex(geoms, n)
				c.buildHot(len(l.Grids))
				x.layers[i].cells = c
			}
		}()
	}
	wg.Wait()
	for _, leaf := range d.Leaves() {
		x.leaves = append(x.leaves, pos[leaf.Name])
	}
	for _, li := range x.layers {
		x.buildUp(li)
	}
	return x, nil
}

// leafCellFactor multiplies the cells of a branch's finest layer, the one
// every lookup reads: with four times the cells, 84.6 % of the Jiangyin
// micro grids' cells lie inside one grid instead of 77.3 %, and a lookup in a
// province (where the cells are far larger than the processor's cache) reads
// one cell word instead of a cell, its candidates and their edges that much
// more often. It costs about half as much index memory again (measured in
// docs/performance.md); coarser layers are read only for points outside the
// finest layer and for boundary flags, and keep the plain density.
const leafCellFactor = 4

// cellsFor chooses the number of cells of a layer's index: enough that most
// cells lie inside one grid and border cells hold a few edges.
func cellsFor(grids, verts int) int {
	n := verts
	if n < 64*grids {
		n = 64 * grids
	}
	if n < 1024 {
		n = 1024
	}
	return n
}

// Dataset returns the dataset the index was built from.
func (x *Index) Dataset() *Dataset { return x.data }

// Locate returns the position of the grid of layer (a position in
// Dataset.Layers) that owns the point (lon, lat), WGS84, under the package's
// boundary rule, or -1 when no grid of the layer covers it.
func (x *Index) Locate(layer int, lon, lat float64) int {
	g := x.layers[layer].cells.locate(lon, lat)
	runtime.KeepAlive(x) // see "Memory outside the heap" in doc.go
	return g
}

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

// Lookup returns the chain of the point (lon, lat), WGS84, as grids, finest
// first. It is a convenience over AppendChains for callers that do not mind
// an allocation.
func (x *Index) Lookup(lon, lat float64) []*Grid {
	hits := x.AppendChains(make([]Hit, 0, 8), lon, lat)
	out := make([]*Grid, len(hits))
	for i, h := range hits {
		out[i] = x.data.Layers[h.Layer].Grids[h.Grid]
	}
	return out
}

// Grid returns the grid a hit names.
func (x *Index) Grid(h Hit) *Grid { return x.data.Layers[h.Layer].Grids[h.Grid] }

// LayerName returns the name of the layer a hit names.
func (x *Index) LayerName(h Hit) string { return x.data.Layers[h.Layer].Name }

// Bytes returns the memory held by the index's own arrays (cells, border
// candidates, hot levels, parent and ancestor tables), in bytes, wherever they
// live (the largest are mapped outside the Go heap).
func (x *Index) Bytes() int {
	n := 0
	for _, li := range x.layers {
		c := li.cells
		n += len(c.cells)*4 + len(c.border)*8 + c.hot.bytes()
		n += len(li.parent)*4 + len(li.up)*4
	}
	return n
}
