package lookup_test

import (
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/lookup"
)

// partialEncoder indexes a county that is one grid, with a partial layer of
// two buildings 0.01° squares at its south-west and north-east.
func partialEncoder(t *testing.T) *lookup.Encoder {
	t.Helper()
	county := geo.NewLayer("county", []*geo.Grid{{Code: "1", Name: "县", Props: map[string]any{}, Geom: square(120, 31, 1)}})
	grids := geo.NewLayer("grids", []*geo.Grid{{Code: "11", Parent: "1", Name: "grid", Props: map[string]any{}, Geom: square(120, 31, 1)}})
	buildings := geo.NewLayer("buildings", []*geo.Grid{
		{Code: "11001", Parent: "11", Name: "1栋", Props: map[string]any{}, Geom: square(120.1, 31.1, 0.01)},
		{Code: "11002", Parent: "11", Name: "2栋", Props: map[string]any{}, Geom: square(120.8, 31.8, 0.01)},
	})
	buildings.Partial = true
	return encoderOf(t, "v1", county, grids, buildings)
}

// TestPartialLayerAnswers checks the answers over a partial layer: a point
// between buildings has the grid's chain and an empty building column; with
// nearest, the nearest building is named first, marked with its distance,
// above the grid's chain, and CSV gains a distance_m column.
func TestPartialLayerAnswers(t *testing.T) {
	e := partialEncoder(t)
	near := &lookup.Options{Query: index.Query{NearestM: 2000}}
	for _, tc := range []struct {
		name     string
		lon, lat float64
		opts     *lookup.Options
		codes    string
		nearest  []bool
	}{
		{"inside a building", 120.105, 31.105, nil, "11001,11,1", []bool{false, false, false}},
		{"between buildings", 120.5, 31.5, nil, "11,1", []bool{false, false}},
		{"between, nearest", 120.12, 31.105, near, "11001,11,1", []bool{true, false, false}},
		{"between, none near", 120.5, 31.5, near, "11,1", []bool{false, false}},
		{"outside, nearest", 119.99, 31.5, near, "11,1", []bool{true, true}},
		{"buildings only, between", 120.5, 31.5, &lookup.Options{Query: index.Query{Layers: []bool{false, false, true}}}, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := lookupOne(t, e, tc.lon, tc.lat, tc.opts)
			var codes []string
			for i, h := range a.Chain {
				codes = append(codes, h.Code)
				if h.Nearest != tc.nearest[i] || h.Nearest != (h.DistanceM > 0) {
					t.Errorf("element %d: nearest %v, distance %v (%s)", i, h.Nearest, h.DistanceM, b)
				}
			}
			if strings.Join(codes, ",") != tc.codes {
				t.Fatalf("chain %v, want %s (%s)", codes, tc.codes, b)
			}
		})
	}
	in := "id,lon,lat\nin,120.105,31.105\ngap,120.5,31.5\nnear,120.12,31.105\nout,119,31.5\nedge,119.995,31.5\n"
	for _, tc := range []struct {
		name string
		opts *lookup.Options
		want string
	}{
		{"plain", nil, "id,lon,lat,buildings,grids,county\nin,120.105,31.105,11001,11,1\ngap,120.5,31.5,,11,1\nnear,120.12,31.105,,11,1\nout,119,31.5,,,\nedge,119.995,31.5,,,\n"},
		{"nearest", near, "id,lon,lat,buildings,grids,county,distance_m\nin,120.105,31.105,11001,11,1,\ngap,120.5,31.5,,11,1,\nnear,120.12,31.105,11001,11,1,953.99\nout,119,31.5,,,,\nedge,119.995,31.5,,11,1,475.01\n"},
	} {
		t.Run("csv/"+tc.name, func(t *testing.T) {
			var out strings.Builder
			if _, err := e.Batch(strings.NewReader(in), &out, lookup.CSV, tc.opts); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.want {
				t.Fatalf("got\n%swant\n%s", out.String(), tc.want)
			}
		})
	}
}
