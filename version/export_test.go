package version

import (
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
)

// PointIndexForTest is the point index part of Build.
func PointIndexForTest(m Manifest, d *geo.Dataset, o BuildOptions) (*index.Index, error) {
	x, _, err := pointIndex(m, d, o)
	return x, err
}
