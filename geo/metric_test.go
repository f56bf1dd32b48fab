package geo_test

import (
	"math"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

func TestMetresPerDegree(t *testing.T) {
	// reference lengths of a degree on WGS84 (lon, lat), metres
	for _, tc := range []struct{ lat, kx, ky float64 }{
		{0, 111319.49, 110574.27},
		{30, 96486.27, 110852.43},
		{45, 78846.84, 111131.75},
		{60, 55799.98, 111412.24},
	} {
		// distance of one micro degree east and north, scaled back
		p := orb.Point{120, tc.lat}
		east := geo.DistanceToBoundary(orb.MultiPolygon{{{{120.001, tc.lat - 1}, {120.001, tc.lat + 1}}}}, p) * 1000
		north := geo.DistanceToBoundary(orb.MultiPolygon{{{{119, tc.lat + 0.001}, {121, tc.lat + 0.001}}}}, p) * 1000
		if math.Abs(east-tc.kx)/tc.kx > 1e-4 || math.Abs(north-tc.ky)/tc.ky > 1e-4 {
			t.Errorf("lat %v: %v m/° east, %v m/° north; want %v, %v", tc.lat, east, north, tc.kx, tc.ky)
		}
	}
}
