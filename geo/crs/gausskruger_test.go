package crs_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
)

// TestGaussKrugerRoundTrip projects and inverts points over every CGCS2000
// Gauss–Krüger zone, out to the zone's edge and beyond, and wants the round
// trip back within 1 mm (it is in fact within a micrometre).
func TestGaussKrugerRoundTrip(t *testing.T) {
	for code := 4491; code <= 4554; code++ {
		g, ok := crs.GaussKrugerEPSG(code)
		if !ok {
			t.Fatalf("EPSG:%d not known", code)
		}
		worst := 0.0
		half := float64(g.Width)/2 + 1 // one degree past the zone edge
		for dl := -half; dl <= half; dl += half / 7 {
			for lat := 0.5; lat < 56; lat += 3.7 {
				p := orb.Point{g.Lon0 + dl, lat}
				q := g.Inverse(g.Forward(p))
				worst = math.Max(worst, metres(p, q))
			}
		}
		if worst > 1e-3 {
			t.Errorf("EPSG:%d: round trip off by %.6f m, want < 1 mm", code, worst)
		}
	}
}

// TestGaussKrugerPROJ checks the projection against coordinates computed
// independently by PROJ 9 (cs2cs, which uses the Poder/Engsager extended
// transverse Mercator, not Krüger's series):
//
//	echo "31.9 120.3" | cs2cs -f %.4f EPSG:4490 EPSG:4528
//	3530803.1014	40528378.7242
//
// and so on for each row.
func TestGaussKrugerPROJ(t *testing.T) {
	tests := []struct {
		epsg     int
		lon, lat float64
		e, n     float64
	}{
		{4528, 120.3, 31.9, 40528378.7242, 3530803.1014},
		{4549, 120.3, 31.9, 528378.7242, 3530803.1014},
		{4528, 121.9, 31.9, 40679746.2119, 3532339.1041},
		{4498, 117.1, 39.1, 20508650.4344, 4329610.3892},
		{4508, 126.63, 45.75, 1715645.8293, 5188549.3301}, // 15.6° off the central meridian
	}
	for _, tt := range tests {
		t.Run(strings.TrimSpace(string(rune('0'+tt.epsg%10)))+"_"+strconv.Itoa(tt.epsg), func(t *testing.T) {
			g, _ := crs.GaussKrugerEPSG(tt.epsg)
			f := g.Forward(orb.Point{tt.lon, tt.lat})
			if d := math.Hypot(f[0]-tt.e, f[1]-tt.n); d > 1e-3 {
				t.Errorf("forward (%g, %g) = (%.4f, %.4f), PROJ (%.4f, %.4f): %.4f m apart", tt.lon, tt.lat, f[0], f[1], tt.e, tt.n, d)
			}
			inv := g.Inverse(orb.Point{tt.e, tt.n})
			if d := metres(inv, orb.Point{tt.lon, tt.lat}); d > 1e-3 {
				t.Errorf("inverse (%.4f, %.4f) = (%.9f, %.9f), want (%g, %g): %.4f m apart", tt.e, tt.n, inv[0], inv[1], tt.lon, tt.lat, d)
			}
		})
	}
}
