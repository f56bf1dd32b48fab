package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// WGS84 ellipsoid.
const (
	wgs84A  = 6378137.0
	wgs84E2 = 6.69437999014e-3
)

// MetresPerDegree returns the lengths in metres of one degree of longitude
// and of latitude at latitude lat (degrees) on the WGS84 ellipsoid: the
// local scale of an equirectangular projection centred there. Distances of
// a few kilometres measured with it are within 0.01 % of geodesic ones, far
// inside the 0.5 % the lookup API promises.
func MetresPerDegree(lat float64) (kx, ky float64) {
	phi := lat * math.Pi / 180
	s := math.Sin(phi)
	w := 1 - wgs84E2*s*s
	n := wgs84A / math.Sqrt(w)                       // prime vertical radius
	m := wgs84A * (1 - wgs84E2) / (w * math.Sqrt(w)) // meridian radius
	return n * math.Cos(phi) * math.Pi / 180, m * math.Pi / 180
}

// DistanceToBoundary returns the distance in metres from p (lon, lat, WGS84)
// to the nearest point of the boundary (every ring) of mp, with the local
// scale at p (see MetresPerDegree).
func DistanceToBoundary(mp orb.MultiPolygon, p orb.Point) float64 {
	kx, ky := MetresPerDegree(p[1])
	best := math.Inf(1)
	for _, poly := range mp {
		for _, r := range poly {
			n := len(r)
			for i := 0; i < n; i++ {
				a, b := r[i], r[(i+1)%n]
				d := SegmentDist2((a[0]-p[0])*kx, (a[1]-p[1])*ky, (b[0]-p[0])*kx, (b[1]-p[1])*ky, 0, 0)
				if d < best {
					best = d
				}
			}
		}
	}
	return math.Sqrt(best)
}

// SegmentDist2 returns the squared planar distance from (px, py) to the
// segment (ax, ay)–(bx, by), in the units of the coordinates: (lon, lat)
// degrees, or metres east and north of a local projection such as the
// scale of MetresPerDegree.
func SegmentDist2(ax, ay, bx, by, px, py float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = ((px-ax)*dx + (py-ay)*dy) / l
		t = math.Max(0, math.Min(1, t))
	}
	ex, ey := ax+t*dx-px, ay+t*dy-py
	return ex*ex + ey*ey
}
