package crs_test

import (
	"math"
	"testing"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
)

// metres returns the distance in metres between two nearby points.
func metres(a, b orb.Point) float64 {
	kx := 111320 * math.Cos(a[1]*math.Pi/180)
	return math.Hypot((a[0]-b[0])*kx, (a[1]-b[1])*110574)
}

func TestRoundTrip(t *testing.T) {
	for _, c := range []crs.CRS{crs.GCJ02, crs.BD09, crs.WGS84, crs.CGCS2000} {
		for lon := 74.0; lon < 135; lon += 3.7 {
			for lat := 18.0; lat < 53; lat += 2.9 {
				w := orb.Point{lon, lat}
				f := c.FromWGS84(w)
				back := c.ToWGS84(f)
				if d := metres(w, back); d > 0.001 {
					t.Fatalf("%s %v: round trip off by %v m", c, w, d)
				}
				if !c.IsWGS84() && metres(w, f) < 50 {
					t.Fatalf("%s %v: shift only %v m", c, w, metres(w, f))
				}
			}
		}
	}
}

func TestKnownShift(t *testing.T) {
	// Jiangyin: GCJ-02 shifts by roughly 500 m to the south-east there.
	w := orb.Point{120.285, 31.905}
	g := crs.GCJ02.FromWGS84(w)
	if d := metres(w, g); d < 300 || d > 700 {
		t.Errorf("GCJ-02 shift at Jiangyin %v m", d)
	}
	if g[0] <= w[0] || g[1] >= w[1] {
		t.Errorf("GCJ-02 shift direction %v → %v", w, g)
	}
	// outside China nothing moves
	p := orb.Point{2.35, 48.85}
	if crs.GCJ02.FromWGS84(p) != p {
		t.Error("GCJ-02 moved a point in Paris")
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]crs.CRS{"": crs.WGS84, "WGS84": crs.WGS84, "EPSG:4490": crs.CGCS2000, "gcj02": crs.GCJ02, "BD-09": crs.BD09} {
		if got, err := crs.Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := crs.Parse("mars"); err == nil {
		t.Error("Parse(mars) succeeded")
	}
}
