package index

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/internal/bigmem"
	"github.com/paulmach/orb"
)

// NewIndex builds the point index of every layer of d. d must not change
// afterwards. A position that is not (lon, lat) degrees within ±180, ±90
// (NaN, infinite, projected metres) is an error naming its layer and grid:
// the cell index is sized from the coordinates.
func NewIndex(d *geo.Dataset) (*Index, error) {
	if err := checkPositions(d); err != nil {
		return nil, err
	}
	x := &Index{data: d, layers: make([]*layerIndex, len(d.Layers))}
	for i, l := range d.Layers {
		li, err := x.linkParents(l)
		if err != nil {
			return nil, err
		}
		x.layers[i] = li
	}
	x.buildCells()
	for _, leaf := range d.Leaves() {
		x.leaves = append(x.leaves, d.LayerIndex(leaf.Name))
	}
	for _, li := range x.layers {
		x.buildUp(li)
	}
	return x, nil
}

// checkPositions returns an error naming the first grid with a position
// that is not finite (lon, lat) degrees in range. One pass over the
// vertices: about 0.1 s for the 52 M of a province, against minutes of
// build.
func checkPositions(d *geo.Dataset) error {
	for _, l := range d.Layers {
		for _, g := range l.Grids {
			for _, poly := range g.Geom {
				for _, ring := range poly {
					for _, p := range ring {
						// written so that NaN fails it too
						if !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
							return fmt.Errorf("layer %q grid %q: position (%v, %v) is not (lon, lat) degrees", l.Name, g.Code, p[0], p[1])
						}
					}
				}
			}
		}
	}
	return nil
}

// linkParents returns the index of layer l with its parent links: the
// position of its parent layer and of each grid's parent there.
func (x *Index) linkParents(l *geo.Layer) (*layerIndex, error) {
	li := &layerIndex{parentLayer: -1}
	if l.Parent == "" {
		return li, nil
	}
	pi := x.data.LayerIndex(l.Parent)
	if pi < 0 {
		return nil, fmt.Errorf("layer %q: parent layer %q not in dataset", l.Name, l.Parent)
	}
	li.parentLayer = pi
	pl := x.data.Layers[pi]
	var free func()
	li.parent, free = bigmem.Alloc[int32](len(l.Grids))
	bigmem.ReleaseWith(x, free)
	for gi, g := range l.Grids {
		li.parent[gi] = int32(pl.Index(g.Parent))
	}
	return li, nil
}

// buildCells builds the cell index and hot level of every layer. They are
// independent: they are built in parallel, largest first.
func (x *Index) buildCells() {
	d := x.data
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
				x.layers[i].cells = layerCells(l, slices.Contains(leaves, l))
			}
		}()
	}
	wg.Wait()
}

// layerCells builds the cell index and hot level of layer l, with more
// cells when it is the finest layer of a branch (leaf) and its grids cover
// most of its bounding box. A partial layer such as Jinjiang's buildings
// (15,414 footprints over about a tenth of the district) keeps the plain
// density: four times the cells there were nearly all empty ones between
// the buildings, 35.5 instead of 15.7 MB for the index (247 instead of 109
// bytes per vertex, Jiangyin's being 107), and the lookups were no faster
// (a median of 1,259 against 1,083 ns a point, alternated on a loaded
// machine; docs/performance.md).
func layerCells(l *geo.Layer, leaf bool) *cellIndex {
	geoms := make([]orb.MultiPolygon, len(l.Grids))
	for gi, g := range l.Grids {
		geoms[gi] = g.Geom
	}
	n := cellsFor(len(l.Grids), l.Vertices())
	if leaf && covers(l) {
		n *= leafCellFactor
	}
	c := buildCellIndex(geoms, n)
	c.buildHot(len(l.Grids))
	return c
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

// covers reports whether the grids of l cover at least half of the layer's
// bounding box, by the sum of the grids' bounding boxes (an upper bound of
// their area).
func covers(l *geo.Layer) bool {
	b := l.Bound()
	whole := (b.Max[0] - b.Min[0]) * (b.Max[1] - b.Min[1])
	sum := 0.0
	for _, g := range l.Grids {
		gb := g.Bound()
		sum += (gb.Max[0] - gb.Min[0]) * (gb.Max[1] - gb.Min[1])
	}
	return sum >= whole/2
}

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
