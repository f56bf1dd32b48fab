package tiles

import (
	"fmt"
	"math"
	"sort"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/tidwall/rtree"
)

// Source makes vector tiles of one dataset version. It is built once by
// NewSource and is safe for concurrent use; it does not change the dataset.
type Source struct {
	opts   Options
	layers []*layerSource
	bound  orb.Bound // (lon, lat) degrees
	tags   *tagTable // every property key and value, numbered
	// detailZoom is DetailZoom
	detailZoom int
}

// LayerZoom is the zoom range in which a layer is put into tiles.
type LayerZoom struct {
	// Name is the layer name, as in the dataset and the MVT layer.
	Name string
	// MinZoom is the first zoom with the layer; MaxZoom the last.
	MinZoom, MaxZoom int
	// Partial is true for a layer that does not tile its parent (see
	// NewSource): every grid of it is in the tiles of every zoom of its
	// range, as a polygon or, too small to draw, a point.
	Partial bool
}

// layerSource is one layer prepared for tiling.
type layerSource struct {
	name             string
	minZoom, maxZoom int
	grids            []*geo.Grid
	feats            []featureData
	tree             rtree.RTreeG[int32] // grid bounds in the unit Mercator square
	topo             *topology
	simp             *zoomArcs
	fields           map[string]string // MVT property name → TileJSON type
	medianSize       float64           // median grid width, unit Mercator square
	// areas holds each grid's area in the unit Mercator square.
	areas []float64
	// partial is true for a layer that does not tile its parent (see
	// partialLayer): shown from MinPartialPixels, marked in the TileJSON.
	partial bool
}

// featureData is what every tile needs of one grid.
type featureData struct {
	id    uint64
	props geojson.Properties
	// labelProps are the properties of the grid's point in the labels
	// layer: name, code, layer.
	labelProps geojson.Properties
	// tags and labelTags are props and labelProps as numbers of the
	// Source's tag table (see tagTable).
	tags, labelTags []uint32
	// label is the grid's pole of inaccessibility, unit Mercator square:
	// the point of the labels layer, and of the grid itself at zooms where
	// it is too small to draw.
	label orb.Point
	// size is the larger side of the grid's box, unit Mercator square.
	size float64
}

// NewSource prepares the layers of d for tiling: it finds the shared arcs of
// every layer, indexes the grids' bounds and derives each layer's zoom
// range (a partial layer's from Options.MinPartialPixels, see
// partialLayer) and each grid's label point. It does not keep or change d's
// geometry after it returns, but keeps the *geo.Grid pointers for their
// names. The error wraps ErrInvalidOptions (also for a layer named
// LabelLayer) or ErrIDCollision.
func NewSource(d *geo.Dataset, opts Options) (*Source, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if d == nil {
		return nil, fmt.Errorf("%w: nil dataset", ErrInvalidOptions)
	}
	opts = opts.withDefaults()
	s := &Source{opts: opts, tags: newTagTable()}
	byName := map[string]*layerSource{}
	first := true
	for _, l := range d.Layers {
		if l.Name == LabelLayer {
			return nil, fmt.Errorf("%w: a grid layer is named %q, the name of the label layer", ErrInvalidOptions, LabelLayer)
		}
		ls, err := newLayerSource(l, opts, s.tags)
		if err != nil {
			return nil, err
		}
		if len(l.Grids) > 0 {
			if b := l.Bound(); first {
				s.bound, first = b, false
			} else {
				s.bound = s.bound.Union(b)
			}
		}
		ls.partial = partialLayer(l, ls, d.Layer(l.Parent), byName[l.Parent])
		px := opts.MinGridPixels
		if ls.partial {
			px = opts.MinPartialPixels
		}
		ls.minZoom = layerMinZoom(ls.medianSize, px)
		// Layers come coarse → fine: a layer is never shown before its
		// parent layer, and a root layer is shown from zoom 0.
		if p := byName[l.Parent]; p != nil {
			ls.minZoom = max(ls.minZoom, p.minZoom)
		} else {
			ls.minZoom = 0
		}
		ls.maxZoom = MaxZoom
		byName[l.Name] = ls
		s.layers = append(s.layers, ls)
	}
	s.detailZoom = s.computeDetailZoom()
	return s, nil
}

func newLayerSource(l *geo.Layer, opts Options, tt *tagTable) (*layerSource, error) {
	ls := &layerSource{
		name:   l.Name,
		grids:  l.Grids,
		feats:  make([]featureData, len(l.Grids)),
		areas:  make([]float64, len(l.Grids)),
		fields: map[string]string{},
	}
	geoms := make([]orb.MultiPolygon, len(l.Grids))
	sizes := make([]float64, 0, len(l.Grids))
	seen := make(map[uint64]string, len(l.Grids))
	extra := opts.extraProps(l.Name)
	for i, g := range l.Grids {
		geoms[i] = g.Geom
		id := FeatureID(l.Name, g.Code)
		if other, dup := seen[id]; dup && other != g.Code {
			return nil, fmt.Errorf("%w: layer %q codes %q and %q", ErrIDCollision, l.Name, other, g.Code)
		}
		seen[id] = g.Code
		fd := featureData{id: id, props: featureProps(g, extra, ls.fields), labelProps: labelProps(g, l.Name)}
		fd.tags, fd.labelTags = tt.tags(fd.props), tt.tags(fd.labelProps)
		ls.feats[i] = fd
		if g.Geom == nil {
			continue
		}
		b := g.Geom.Bound()
		lo, hi := project(orb.Point{b.Min[0], b.Max[1]}), project(orb.Point{b.Max[0], b.Min[1]})
		ls.feats[i].size = max(hi[0]-lo[0], hi[1]-lo[1])
		ls.tree.Insert([2]float64{lo[0], lo[1]}, [2]float64{hi[0], hi[1]}, int32(i))
		if a := mercatorArea(g.Geom); a > 0 {
			ls.areas[i] = a
			sizes = append(sizes, math.Sqrt(a))
		}
	}
	if len(sizes) > 0 {
		sort.Float64s(sizes)
		ls.medianSize = sizes[len(sizes)/2]
	}
	labelPoints(geoms, ls.feats)
	ls.topo = buildTopology(geoms)
	ls.simp = &zoomArcs{topo: ls.topo, tolerance: opts.Tolerance, extent: float64(opts.Extent)}
	return ls, nil
}

// layerMinZoom returns the first zoom at which a grid size units of the unit
// Mercator square wide is at least minPx pixels of a 256 px tile.
func layerMinZoom(size, minPx float64) int {
	if size <= 0 {
		return 0
	}
	z := int(math.Ceil(math.Log2(minPx / (256 * size))))
	return min(max(z, 0), MaxZoom)
}

// mercatorArea returns the area of mp in the unit Mercator square.
func mercatorArea(mp orb.MultiPolygon) float64 {
	a := 0.0
	for _, p := range mp {
		for i, r := range p {
			ra := 0.0
			for j := 0; j+1 < len(r); j++ {
				p, q := project(r[j]), project(r[j+1])
				ra += p[0]*q[1] - q[0]*p[1]
			}
			if i == 0 {
				a += math.Abs(ra) / 2
			} else {
				a -= math.Abs(ra) / 2
			}
		}
	}
	return a
}

// LayerZooms returns the zoom range of every layer, coarse → fine, in the
// order of the dataset.
func (s *Source) LayerZooms() []LayerZoom {
	out := make([]LayerZoom, len(s.layers))
	for i, l := range s.layers {
		out[i] = LayerZoom{Name: l.name, MinZoom: l.minZoom, MaxZoom: l.maxZoom, Partial: l.partial}
	}
	return out
}
