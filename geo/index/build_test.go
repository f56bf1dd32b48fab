package index_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/paulmach/orb"
)

// TestNewIndexRefusesBadPositions: a position that is not finite (lon, lat)
// degrees in range is an error naming the layer and the grid, never a
// panic in the build (which runs on worker goroutines: a panic there ends
// the process).
func TestNewIndexRefusesBadPositions(t *testing.T) {
	for _, tc := range []struct {
		name string
		bad  orb.Point
	}{
		{"NaN lon", orb.Point{math.NaN(), 31.5}},
		{"NaN lat", orb.Point{120.5, math.NaN()}},
		{"infinite", orb.Point{math.Inf(1), 31.5}},
		{"huge", orb.Point{1e308, 31.5}},
		{"projected metres", orb.Point{40500000, 3500000}},
		{"lat beyond the pole", orb.Point{120.5, 91}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			geom := square(120, 31, 1)
			geom[0][0][2] = tc.bad
			l := geo.NewLayer("grids", []*geo.Grid{
				{Code: "good", Geom: square(118, 31, 1)},
				{Code: "bad", Geom: geom},
			})
			d, err := geo.NewDataset([]*geo.Layer{l})
			if err != nil {
				t.Fatal(err)
			}
			_, err = index.NewIndex(d)
			if err == nil || !strings.Contains(err.Error(), `layer "grids" grid "bad"`) {
				t.Fatalf("NewIndex: %v, want an error naming layer grids, grid bad", err)
			}
		})
	}
}
