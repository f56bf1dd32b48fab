package lookup

import (
	"github.com/gridmap/gridmap/geo/index"
	"github.com/paulmach/orb"
)

// Query is one single lookup: a point and the options it is looked up
// with.
type Query struct {
	// Lon and Lat are the point, in degrees of the system Options.CRS
	// (WGS84 when Options is nil), longitude first.
	Lon, Lat float64
	// LonText and LatText are the decimals Lon and Lat were parsed from,
	// or empty. The answer echoes them as they are when they already are
	// the shortest form of their values (as a client usually writes them),
	// which saves formatting the floats; the answer is the same byte for
	// byte either way.
	LonText, LatText string
	// Options are the layer filter, fallback and coordinate system; nil:
	// WGS84, all layers.
	Options *Options
}

// AppendLookup looks up the point of q and appends the answer of a single
// lookup: {"lon":..,"lat":..,"version":..,"chain":[..]}, with "crs" and the
// converted "wgs84" point when the input was not WGS84. scratch is reused
// for the hits and returned for the next call. It allocates nothing when b
// and scratch have room.
func (e *Encoder) AppendLookup(b []byte, scratch []index.Hit, q *Query) ([]byte, []index.Hit) {
	p, hits := e.query(scratch, q)
	b = append(b, `{"lon":`...)
	b = appendCoord(b, q.LonText, q.Lon)
	b = append(b, `,"lat":`...)
	b = appendCoord(b, q.LatText, q.Lat)
	if o := q.Options; o != nil && !o.CRS.IsWGS84() {
		b = append(b, `,"crs":`...)
		b = appendJSONString(b, string(o.CRS))
		b = append(b, `,"wgs84":{"lon":`...)
		b = appendFloat(b, p[0])
		b = append(b, `,"lat":`...)
		b = appendFloat(b, p[1])
		b = append(b, '}')
	}
	b = append(b, `,"version":`...)
	b = appendJSONString(b, e.version)
	b = append(b, ',')
	b = e.AppendChains(b, hits)
	b = append(b, '}')
	return b, hits
}

// query runs the lookup of q and returns its point in WGS84 and the hits.
func (e *Encoder) query(scratch []index.Hit, q *Query) (orb.Point, []index.Hit) {
	p := orb.Point{q.Lon, q.Lat}
	o := q.Options
	if o == nil {
		return p, e.idx.AppendQuery(scratch[:0], p[0], p[1], nil)
	}
	if !o.CRS.IsWGS84() {
		p = o.CRS.ToWGS84(p)
	}
	return p, e.idx.AppendQuery(scratch[:0], p[0], p[1], &o.Query)
}
