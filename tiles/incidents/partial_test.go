package incidents_test

import (
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/tiles/incidents"
	"github.com/gridmap/gridmap/version"
	"github.com/paulmach/orb"
)

// square is the square of side d degrees with south-west corner (lon,
// lat), WGS84.
func square(lon, lat, d float64) orb.MultiPolygon {
	return orb.MultiPolygon{orb.Bound{Min: orb.Point{lon, lat}, Max: orb.Point{lon + d, lat + d}}.ToPolygon()}
}

// TestPartialLayerNotAggregated: a partial layer (buildings with streets
// between them) is never the layer incidents are aggregated by, since an
// incident in a street is in none of its grids; points start after the
// finest tiling layer's first zoom, as without the buildings.
func TestPartialLayerNotAggregated(t *testing.T) {
	county := geo.NewLayer("county", []*geo.Grid{{Code: "C", Geom: square(104.08, 30.65, 0.01)}})
	grids := geo.NewLayer("grids", []*geo.Grid{{Code: "G", Parent: "C", Geom: square(104.08, 30.65, 0.01)}})
	grids.Parent = "county"
	var bs []*geo.Grid
	for i := range 5 {
		bs = append(bs, &geo.Grid{Code: string(rune('a' + i)), Parent: "G", Geom: square(104.081+float64(i)*0.001, 30.651, 0.0002)})
	}
	buildings := geo.NewLayer("buildings", bs)
	buildings.Parent, buildings.Partial = "grids", true
	d, err := geo.NewDataset([]*geo.Layer{county, grids, buildings})
	if err != nil {
		t.Fatal(err)
	}
	ts, err := tiles.NewSource(d, tiles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap := &version.Snapshot{Data: d, Tiles: tiles.ReadySource(ts)}
	zooms := ts.LayerZooms()
	if !zooms[2].Partial || zooms[1].Partial {
		t.Fatalf("layer zooms %v: want buildings partial, grids not", zooms)
	}
	want := max(incidents.DefaultPointZoom, zooms[1].MinZoom+1)
	if pz := incidents.New().PointZoom(snap); pz != want {
		t.Errorf("point zoom %d, want %d (grids from z%d; buildings, from z%d, not aggregated)", pz, want, zooms[1].MinZoom, zooms[2].MinZoom)
	}
}
