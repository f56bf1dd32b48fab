package tiles

import "fmt"

// MaxZoom is the highest zoom a Source makes tiles for.
const MaxZoom = 22

// Defaults of Options, used for zero fields.
const (
	// DefaultExtent is the MVT extent: tile coordinates run 0..4096.
	DefaultExtent = 4096
	// DefaultBuffer is the margin kept around a tile, in extent units, so
	// that strokes at tile edges join cleanly.
	DefaultBuffer = 64
	// DefaultTolerance is the Douglas–Peucker tolerance in extent units
	// (4 units = 1/4 px of a 256 px tile, 1/2 px of a 512 px tile).
	DefaultTolerance = 4
	// DefaultMinGridPixels is the width, in pixels of a 256 px tile, that a
	// layer's median grid must reach before the layer is shown.
	DefaultMinGridPixels = 28
)

// Options configure a Source. The zero value means the defaults.
type Options struct {
	// Extent is the MVT layer extent; 0 means DefaultExtent.
	Extent int
	// Buffer is the margin around the tile kept when clipping, in extent
	// units; 0 means DefaultBuffer, a negative value means no buffer.
	Buffer int
	// Tolerance is the simplification tolerance in extent units; 0 means
	// DefaultTolerance, a negative value turns simplification off (exact
	// geometry, still rounded to the extent grid).
	Tolerance float64
	// MinGridPixels sets the zoom from which a layer is shown: the first
	// zoom at which its median grid (square root of the Mercator area) is at
	// least this many pixels of a 256 px tile wide. 0 means
	// DefaultMinGridPixels. Root layers are always shown from zoom 0.
	MinGridPixels float64
	// MinPartialPixels does for a partial layer (buildings, compounds: a
	// layer that does not tile its parent, see geo.Layer.Partial) what
	// MinGridPixels does for the others: its median grid is at least this
	// many pixels of a 256 px tile wide from the layer's first zoom. Its
	// grids are things to see and click inside a parent that is drawn
	// already, not the level one reads the map by, so they come in smaller.
	// 0 means DefaultMinPartialPixels.
	MinPartialPixels float64
	// PointBelowPixels makes a grid whose box is narrower than this many
	// pixels of a 256 px tile on both sides a Point at its label point
	// instead of a polygon. 0 (the default) keeps every polygon that still
	// has a ring after simplification and rounding, and makes only the
	// grids left with none points: replacing a small polygon by a point
	// opens a hole of its size between its neighbours (a 2 px setting opens
	// holes of up to 2×2 px, which TestGapOverlapArea would count as gaps).
	PointBelowPixels float64
	// ExtraProps names, per layer, the feature properties of the imported
	// grids that tiles carry beside the standard ones (code, name, level,
	// parent, households, grid_type, always carried when a grid has them).
	// A key "*" applies to every layer without a key of its own; a value
	// []string{AllProps} carries every property. Names no grid of the
	// layer has are ignored. Values keep their JSON type (string, number,
	// boolean); null is left out; arrays and objects become their JSON
	// text. Default: none.
	ExtraProps map[string][]string
	// DetailM is the precision of the grid boundaries, in ground metres:
	// a vertex that deviates less from its simplified border is not
	// detail, and the last zoom that carries detail (DetailZoom, the
	// TileJSON maxzoom) is the first that keeps every vertex deviating by
	// more. 0 means DefaultDetailM.
	DetailM float64
	// Name and Attribution are copied into the TileJSON.
	Name        string
	Attribution string
}

// AllProps, as the one name of an ExtraProps entry, carries every property.
const AllProps = "*"

// extraProps returns the extra property names of layer: nil for none, and
// []string{AllProps} for all.
func (o Options) extraProps(layer string) []string {
	if names, ok := o.ExtraProps[layer]; ok {
		return names
	}
	return o.ExtraProps["*"]
}

// withDefaults returns o with zero fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.Extent == 0 {
		o.Extent = DefaultExtent
	}
	switch {
	case o.Buffer == 0:
		o.Buffer = DefaultBuffer
	case o.Buffer < 0:
		o.Buffer = 0
	}
	switch {
	case o.Tolerance == 0:
		o.Tolerance = DefaultTolerance
	case o.Tolerance < 0:
		o.Tolerance = 0
	}
	if o.MinGridPixels == 0 {
		o.MinGridPixels = DefaultMinGridPixels
	}
	if o.MinPartialPixels == 0 {
		o.MinPartialPixels = DefaultMinPartialPixels
	}
	if o.DetailM == 0 {
		o.DetailM = DefaultDetailM
	}
	if o.Name == "" {
		o.Name = "gridmap"
	}
	return o
}

// Validate reports whether the options, after defaults, are in range. The
// error wraps ErrInvalidOptions.
func (o Options) Validate() error {
	d := o.withDefaults()
	switch {
	case d.Extent < 256 || d.Extent > 1<<16 || d.Extent&(d.Extent-1) != 0:
		return fmt.Errorf("%w: extent %d is not a power of two in 256..65536", ErrInvalidOptions, o.Extent)
	case d.Buffer > d.Extent/2:
		return fmt.Errorf("%w: buffer %d is more than half the extent %d", ErrInvalidOptions, o.Buffer, d.Extent)
	case d.Tolerance > float64(d.Extent)/16:
		return fmt.Errorf("%w: tolerance %g is more than 1/16 of the extent", ErrInvalidOptions, o.Tolerance)
	case d.PointBelowPixels < 0 || d.PointBelowPixels > 256:
		return fmt.Errorf("%w: point-below pixels %g not in 0..256", ErrInvalidOptions, o.PointBelowPixels)
	case !(d.DetailM > 0 && d.DetailM <= 1000):
		return fmt.Errorf("%w: detail %g m not in (0, 1000] m", ErrInvalidOptions, o.DetailM)
	case d.MinGridPixels < 0 || d.MinGridPixels > 4096:
		return fmt.Errorf("%w: min grid pixels %g not in 0..4096", ErrInvalidOptions, o.MinGridPixels)
	case d.MinPartialPixels < 0 || d.MinPartialPixels > 4096:
		return fmt.Errorf("%w: min partial pixels %g not in 0..4096", ErrInvalidOptions, o.MinPartialPixels)
	}
	return nil
}
