package importer

import (
	"math"

	"github.com/peterstace/simplefeatures/geom"
)

// authalicR is the radius of the sphere with the WGS84 ellipsoid's area, m.
const authalicR = 6371007.2

// equalArea is the Lambert cylindrical equal-area projection with standard
// parallel phi0: x = R·λ·cos φ0, y = R·sin φ / cos φ0. It preserves areas
// exactly on the authalic sphere; φ0 only sets where shapes are true.
type equalArea struct{ k float64 } // cos φ0

func newEqualArea(lat0 float64) equalArea {
	return equalArea{k: math.Cos(lat0 * math.Pi / 180)}
}

func (e equalArea) xy(p geom.XY) geom.XY {
	return geom.XY{
		X: authalicR * p.X * math.Pi / 180 * e.k,
		Y: authalicR * math.Sin(p.Y*math.Pi/180) / e.k,
	}
}

// area returns the area of g in square metres.
func (e equalArea) area(g geom.Geometry) float64 {
	return g.Area(geom.WithTransform(e.xy))
}
