package index

import (
	"sync"

	"github.com/gridmap/gridmap/geo"
	"github.com/tidwall/rtree"
)

// Index answers point lookups over every layer of a Dataset. It is built
// once per version and is safe for concurrent use; it never changes after
// NewIndex returns.
type Index struct {
	data   *geo.Dataset
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
	// Nearest is true when no grid of this layer covers the point and
	// this one is the nearest within the query's distance (Query.NearestM):
	// the first hit of a chain whose finest layer misses the point, and
	// every hit of a chain no layer covers.
	Nearest bool
}

// Dataset returns the dataset the index was built from.
func (x *Index) Dataset() *geo.Dataset { return x.data }

// Lookup returns the chain of the point (lon, lat), WGS84, as grids, finest
// first. It is a convenience over AppendChains for callers that do not mind
// an allocation.
func (x *Index) Lookup(lon, lat float64) []*geo.Grid {
	hits := x.AppendChains(make([]Hit, 0, 8), lon, lat)
	out := make([]*geo.Grid, len(hits))
	for i, h := range hits {
		out[i] = x.data.Layers[h.Layer].Grids[h.Grid]
	}
	return out
}

// Grid returns the grid a hit names.
func (x *Index) Grid(h Hit) *geo.Grid { return x.data.Layers[h.Layer].Grids[h.Grid] }

// LayerName returns the name of the layer a hit names.
func (x *Index) LayerName(h Hit) string { return x.data.Layers[h.Layer].Name }
