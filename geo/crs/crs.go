// Package crs holds every coordinate system gridmap accepts, and the one
// list of their names.
//
// Geographic systems, positions (lon, lat) in degrees: WGS84 (the model's
// system), CGCS2000 (treated as WGS84: the datums differ by centimetres),
// GCJ-02 (the "Mars coordinates" of Amap, Tencent and Google China) and
// BD-09 (Baidu). The forward transforms to GCJ-02 and BD-09 are the
// published formulas; the inverses iterate the forward transform until the
// step is below 1e-9° (about 0.1 mm), so a round trip is exact to well under
// a centimetre.
//
// Projected systems, positions (easting, northing) in metres: the CGCS2000
// Gauss–Krüger zones EPSG:4491…4554 (3° and 6° zones, with and without the
// zone number in front of the easting); see GaussKruger.
//
// Names: ParseSystem reads every name a person or a file may give (wgs84,
// gcj02, EPSG:4528, urn:ogc:def:crs:EPSG::4528, …) into a System; Parse is
// ParseSystem for the places that take (lon, lat) degrees only, such as a
// point lookup, and refuses a projected system; ParseWKT names the system of a .prj's WKT text. Choices lists the
// systems a person may pick for a point lookup, with labels for people, and
// Names and GeographicNames spell the accepted names for help texts and
// error messages. Every door of gridmap (gridmap import --crs, the import
// API's crs field, the lookup's ?crs=, the page's selector) goes through
// these, so all accept the same names.
package crs

import "github.com/paulmach/orb"

// CRS names a geographic coordinate system of (lon, lat) positions.
type CRS string

// The geographic coordinate systems gridmap accepts.
const (
	WGS84    CRS = "wgs84"    // WGS84 lon/lat, the model's system
	CGCS2000 CRS = "cgcs2000" // China Geodetic Coordinate System 2000 lon/lat, treated as WGS84
	GCJ02    CRS = "gcj02"    // GCJ-02, Chinese web maps
	BD09     CRS = "bd09"     // BD-09, Baidu maps
)

// ToWGS84 converts p, (lon, lat) degrees in system c, to WGS84 (lon, lat).
func (c CRS) ToWGS84(p orb.Point) orb.Point {
	switch c {
	case GCJ02:
		return GCJ02ToWGS84(p)
	case BD09:
		return BD09ToWGS84(p)
	}
	return p
}

// FromWGS84 converts p, WGS84 (lon, lat), to (lon, lat) in system c.
func (c CRS) FromWGS84(p orb.Point) orb.Point {
	switch c {
	case GCJ02:
		return WGS84ToGCJ02(p)
	case BD09:
		return GCJ02ToBD09(WGS84ToGCJ02(p))
	}
	return p
}

// IsWGS84 reports whether c needs no conversion.
func (c CRS) IsWGS84() bool { return c == WGS84 || c == CGCS2000 || c == "" }

// System returns c as a System named by its id ("wgs84", "gcj02", …).
func (c CRS) System() System { return System{Name: string(c), Geographic: c} }
