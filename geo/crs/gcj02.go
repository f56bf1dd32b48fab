package crs

import (
	"math"

	"github.com/paulmach/orb"
)

const (
	gcjA  = 6378245.0              // Krasovsky 1940 semi-major axis, m
	gcjEE = 0.00669342162296594323 // Krasovsky 1940 first eccentricity squared
	bdXPi = math.Pi * 3000.0 / 180.0
)

// outOfChina reports whether (lon, lat) lies outside the box where GCJ-02
// is applied; there the forward transform is the identity.
func outOfChina(lon, lat float64) bool {
	return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271
}

func gcjTLat(x, y float64) float64 {
	r := -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	r += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	r += (20.0*math.Sin(y*math.Pi) + 40.0*math.Sin(y/3.0*math.Pi)) * 2.0 / 3.0
	r += (160.0*math.Sin(y/12.0*math.Pi) + 320*math.Sin(y*math.Pi/30.0)) * 2.0 / 3.0
	return r
}

func gcjTLon(x, y float64) float64 {
	r := 300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	r += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	r += (20.0*math.Sin(x*math.Pi) + 40.0*math.Sin(x/3.0*math.Pi)) * 2.0 / 3.0
	r += (150.0*math.Sin(x/12.0*math.Pi) + 300.0*math.Sin(x/30.0*math.Pi)) * 2.0 / 3.0
	return r
}

// WGS84ToGCJ02 applies the standard GCJ-02 forward transform. Outside
// China it returns the point unchanged.
func WGS84ToGCJ02(p orb.Point) orb.Point {
	lon, lat := p[0], p[1]
	if outOfChina(lon, lat) {
		return p
	}
	dlat := gcjTLat(lon-105.0, lat-35.0)
	dlon := gcjTLon(lon-105.0, lat-35.0)
	radlat := lat / 180.0 * math.Pi
	magic := math.Sin(radlat)
	magic = 1 - gcjEE*magic*magic
	sm := math.Sqrt(magic)
	dlat = (dlat * 180.0) / ((gcjA * (1 - gcjEE)) / (magic * sm) * math.Pi)
	dlon = (dlon * 180.0) / (gcjA / sm * math.Cos(radlat) * math.Pi)
	return orb.Point{lon + dlon, lat + dlat}
}

// GCJ02ToWGS84 inverts WGS84ToGCJ02 by fixed-point iteration
// w ← w − (fwd(w) − g) until the step is below 1e-9° (about 0.1 mm),
// which takes 3–5 iterations.
func GCJ02ToWGS84(g orb.Point) orb.Point {
	if outOfChina(g[0], g[1]) {
		return g
	}
	w := g
	for i := 0; i < 30; i++ {
		f := WGS84ToGCJ02(w)
		n := orb.Point{w[0] - (f[0] - g[0]), w[1] - (f[1] - g[1])}
		d := math.Max(math.Abs(n[0]-w[0]), math.Abs(n[1]-w[1]))
		w = n
		if d < 1e-9 {
			break
		}
	}
	return w
}

// GCJ02ToBD09 applies Baidu's BD-09 transform to a GCJ-02 point.
func GCJ02ToBD09(p orb.Point) orb.Point {
	x, y := p[0], p[1]
	z := math.Sqrt(x*x+y*y) + 0.00002*math.Sin(y*bdXPi)
	t := math.Atan2(y, x) + 0.000003*math.Cos(x*bdXPi)
	return orb.Point{z*math.Cos(t) + 0.0065, z*math.Sin(t) + 0.006}
}

// BD09ToGCJ02 inverts GCJ02ToBD09: the usual closed approximation refined
// by fixed-point iteration to below 1e-9°.
func BD09ToGCJ02(b orb.Point) orb.Point {
	x, y := b[0]-0.0065, b[1]-0.006
	z := math.Sqrt(x*x+y*y) - 0.00002*math.Sin(y*bdXPi)
	t := math.Atan2(y, x) - 0.000003*math.Cos(x*bdXPi)
	g := orb.Point{z * math.Cos(t), z * math.Sin(t)}
	for i := 0; i < 10; i++ {
		f := GCJ02ToBD09(g)
		n := orb.Point{g[0] - (f[0] - b[0]), g[1] - (f[1] - b[1])}
		d := math.Max(math.Abs(n[0]-g[0]), math.Abs(n[1]-g[1]))
		g = n
		if d < 1e-9 {
			break
		}
	}
	return g
}

// BD09ToWGS84 converts a BD-09 point to WGS84.
func BD09ToWGS84(b orb.Point) orb.Point { return GCJ02ToWGS84(BD09ToGCJ02(b)) }
