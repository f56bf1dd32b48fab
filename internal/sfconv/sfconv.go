// Package sfconv converts orb geometries to simplefeatures ones, for the
// places that ask simplefeatures for validity or overlay (the importer's
// checks, the tile tests), and polygons back (an overlay's result, to write
// it as GeoJSON). Coordinates are copied as they are, in whatever
// system they are in (the importer's are WGS84 lon/lat, a decoded tile's
// are tile units).
package sfconv

import (
	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// Polygon converts p without validating it.
func Polygon(p orb.Polygon) geom.Polygon {
	rings := make([]geom.LineString, len(p))
	for i, r := range p {
		fs := make([]float64, 0, 2*len(r))
		for _, q := range r {
			fs = append(fs, q[0], q[1])
		}
		rings[i] = geom.NewLineString(geom.NewSequence(fs, geom.DimXY))
	}
	return geom.NewPolygon(rings)
}

// MultiPolygon converts mp without validating it.
func MultiPolygon(mp orb.MultiPolygon) geom.MultiPolygon {
	polys := make([]geom.Polygon, len(mp))
	for i, p := range mp {
		polys[i] = Polygon(p)
	}
	return geom.NewMultiPolygon(polys)
}

// OrbPolygon converts p back to orb, its XY coordinates copied as they are.
func OrbPolygon(p geom.Polygon) orb.Polygon {
	seqs := p.Coordinates()
	out := make(orb.Polygon, len(seqs))
	for i, s := range seqs {
		r := make(orb.Ring, s.Length())
		for j := range r {
			xy := s.GetXY(j)
			r[j] = orb.Point{xy.X, xy.Y}
		}
		out[i] = r
	}
	return out
}
