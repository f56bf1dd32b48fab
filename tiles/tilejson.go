package tiles

import (
	"maps"
	"math"
	"strconv"

	"github.com/paulmach/orb"
)

// TileJSON is a TileJSON 3.0.0 document describing a Source
// (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0).
type TileJSON struct {
	// TileJSON is the spec version, "3.0.0".
	TileJSON string `json:"tilejson"`
	// Name and Attribution come from Options.
	Name        string `json:"name,omitempty"`
	Attribution string `json:"attribution,omitempty"`
	// Scheme is "xyz": y = 0 at the north edge.
	Scheme string `json:"scheme"`
	// Tiles holds the one tile URL template given to Source.TileJSON.
	Tiles []string `json:"tiles"`
	// VersionedTiles, when set by the caller, holds tile URL templates
	// that name the dataset version and so never change their answer
	// (gridmap's immutable /tiles/v/{version}/… URLs).
	VersionedTiles []string `json:"gridmap:versioned_tiles,omitempty"`
	// Version, when set by the caller, is the dataset version the document
	// describes (a gridmap version id, not a semver).
	Version string `json:"gridmap:version,omitempty"`
	// VectorLayers describes the MVT layers, coarse → fine, then the
	// labels layer.
	VectorLayers []VectorLayer `json:"vector_layers"`
	// Bounds is [west, south, east, north] of all grids, WGS84 degrees.
	Bounds [4]float64 `json:"bounds"`
	// Center is [lon, lat, zoom]: the middle of Bounds and a zoom at which
	// Bounds fit in about 1024 px.
	Center [3]float64 `json:"center"`
	// MinZoom is the first zoom of the tiles; MaxZoom the last that
	// carries detail (Source.DetailZoom): clients overzoom its tiles past
	// it.
	MinZoom int `json:"minzoom"`
	MaxZoom int `json:"maxzoom"`
}

// VectorLayer describes one MVT layer in a TileJSON document.
type VectorLayer struct {
	// ID is the MVT layer name.
	ID string `json:"id"`
	// Fields maps each property name to its type: "String", "Number",
	// "Boolean", or "Mixed" when grids of the layer differ.
	Fields map[string]string `json:"fields"`
	// Description says what the layer holds.
	Description string `json:"description,omitempty"`
	// MinZoom and MaxZoom are the layer's zoom range (LayerZooms), its
	// MaxZoom cut to the document's: past it the layer is overzoomed.
	MinZoom int `json:"minzoom"`
	MaxZoom int `json:"maxzoom"`
	// Partial is true for a layer whose grids do not tile their parent
	// (buildings, compounds: see geo.Layer.Partial): the space between
	// them belongs to the parent layer's grids.
	Partial bool `json:"gridmap:partial,omitempty"`
}

// TileJSON returns the TileJSON 3.0.0 document of s with tileURL (for
// example "https://host/tiles/v3/{z}/{x}/{y}.mvt") as its one tile URL.
func (s *Source) TileJSON(tileURL string) TileJSON {
	tj := TileJSON{
		TileJSON:     "3.0.0",
		Name:         s.opts.Name,
		Attribution:  s.opts.Attribution,
		Scheme:       "xyz",
		Tiles:        []string{tileURL},
		VectorLayers: make([]VectorLayer, 0, len(s.layers)),
		MinZoom:      MaxZoom,
		MaxZoom:      0,
	}
	for _, l := range s.layers {
		tj.VectorLayers = append(tj.VectorLayers, VectorLayer{
			ID:          l.name,
			Fields:      maps.Clone(l.fields),
			Description: layerDescription(l),
			MinZoom:     l.minZoom,
			MaxZoom:     min(l.maxZoom, s.detailZoom),
			Partial:     l.partial,
		})
		tj.MinZoom = min(tj.MinZoom, l.minZoom)
	}
	tj.MaxZoom = s.detailZoom
	if len(s.layers) == 0 {
		tj.MinZoom, tj.MaxZoom = 0, MaxZoom
	} else {
		tj.VectorLayers = append(tj.VectorLayers, VectorLayer{
			ID:          LabelLayer,
			Fields:      maps.Clone(labelFields),
			Description: "one label point per grid, inside it (pole of inaccessibility), for every layer from its minzoom; layer names the grid's layer",
			MinZoom:     tj.MinZoom,
			MaxZoom:     tj.MaxZoom,
		})
	}
	b := s.bound
	tj.Bounds = [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
	c := b.Center()
	tj.Center = [3]float64{c[0], c[1], float64(fitZoom(b))}
	return tj
}

func layerDescription(l *layerSource) string {
	d := "grid layer " + l.name + " (" + strconv.Itoa(len(l.grids)) + " grids"
	if l.partial {
		d += ", partial: they need not tile their parent"
	}
	return d + ")"
}

// fitZoom returns the highest zoom (≤ MaxZoom) at which bound b, (lon, lat)
// degrees, fits in 1024 px of 256 px tiles.
func fitZoom(b orb.Bound) int {
	lo, hi := project(orb.Point{b.Min[0], b.Max[1]}), project(orb.Point{b.Max[0], b.Min[1]})
	w := max(hi[0]-lo[0], hi[1]-lo[1])
	if w <= 0 {
		return MaxZoom
	}
	z := int(math.Floor(math.Log2(1024 / (256 * w))))
	return min(max(z, 0), MaxZoom)
}
