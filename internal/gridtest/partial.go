package gridtest

import (
	"fmt"
	"strings"
)

// Box returns a GeoJSON Feature: the axis-aligned rectangle (x0, y0)–(x1,
// y1), WGS84 (lon, lat), with the properties code, name (the code) and
// parent (left out when "").
func Box(code, parent string, x0, y0, x1, y1 float64) string {
	props := fmt.Sprintf(`"code":%q,"name":%q`, code, code)
	if parent != "" {
		props += fmt.Sprintf(`,"parent":%q`, parent)
	}
	return fmt.Sprintf(`{"type":"Feature","properties":{%s},"geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}`,
		props, x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)
}

// Collection returns a GeoJSON FeatureCollection of features.
func Collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + "]}"
}

// Buildings is a small set with a partial layer, in the manner of
// Chengdu's buildings (楼栋) as micro grids: a county 0.02° × 0.01° at
// 104°E 30.6°N (about 1.9 km × 1.1 km), two grids tiling it, and three
// buildings with streets between them, one touching its grid's border
// from inside. Each value is a GeoJSON FeatureCollection; the keys are
// the layer names county, grids and buildings.
func Buildings() map[string]string {
	return map[string]string{
		"county": Collection(Box("510104", "", 104.00, 30.60, 104.02, 30.61)),
		"grids": Collection(
			Box("510104001", "510104", 104.00, 30.60, 104.01, 30.61),
			Box("510104002", "510104", 104.01, 30.60, 104.02, 30.61)),
		"buildings": Collection(BuildingsIn...),
	}
}

// BuildingsIn are the features of the buildings layer of Buildings.
var BuildingsIn = []string{
	Box("510104001001", "510104001", 104.002, 30.602, 104.003, 30.603),
	Box("510104001002", "510104001", 104.005, 30.605, 104.006, 30.606),
	Box("510104002001", "510104002", 104.010, 30.602, 104.011, 30.603), // on the grids' shared border
}
