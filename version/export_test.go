package version

import (
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/tiles"
)

// PointIndexForTest is the point index part of Build.
func PointIndexForTest(m Manifest, d *geo.Dataset, o BuildOptions) (*index.Index, error) {
	x, _, err := pointIndex(m, d, o)
	return x, err
}

// TilesKeyForTest is the key a published tiles archive of m must name.
func TilesKeyForTest(m Manifest, o tiles.Options) string { return tilesKey(m, o) }

// TilesFormatForTest is the format named in the keys of published tiles.
const TilesFormatForTest = tilesFormat

// TileSourceForTest is the tile part of Build.
func TileSourceForTest(m Manifest, d *geo.Dataset, o BuildOptions) (*tiles.Lazy, *tiles.Cache, error) {
	return tileSource(m, d, o)
}
