package crs

import (
	"fmt"

	"github.com/paulmach/orb"
)

// System is a coordinate system of input positions, as ParseSystem or ParseWKT
// read it: a geographic system, positions (lon, lat) in degrees, or a
// CGCS2000 Gauss–Krüger zone, positions (easting, northing) in metres.
type System struct {
	// Name is the system as written in messages: "wgs84", "gcj02",
	// "EPSG:4490", "EPSG:4528".
	Name string
	// Geographic is the (lon, lat) system: WGS84, CGCS2000, GCJ02 or BD09;
	// CGCS2000 for a Gauss–Krüger zone.
	Geographic CRS
	// GK is the projection of a Gauss–Krüger zone, nil for a geographic
	// system.
	GK *GaussKruger
}

// Projected reports whether positions of s are (easting, northing) metres.
func (s System) Projected() bool { return s.GK != nil }

// Identity reports whether positions of s are WGS84 (lon, lat) already and
// need no conversion.
func (s System) Identity() bool { return s.GK == nil && s.Geographic.IsWGS84() }

// Converter returns the function that takes positions of s to WGS84
// (lon, lat), or nil when no conversion is needed.
func (s System) Converter() func(orb.Point) orb.Point {
	switch {
	case s.GK != nil:
		return s.GK.Inverse
	case s.Geographic.IsWGS84():
		return nil
	}
	return s.Geographic.ToWGS84
}

// EPSG returns the EPSG name of s for tools that know EPSG codes only
// (ogr2ogr): the Gauss–Krüger zone's code, EPSG:4490 for CGCS2000 and
// EPSG:4326 for every other geographic system (GCJ-02 and BD-09 have no
// EPSG code: convert their positions with Converter).
func (s System) EPSG() string {
	if s.GK != nil {
		return fmt.Sprintf("EPSG:%d", s.GK.EPSG)
	}
	if s.Geographic == CGCS2000 {
		return "EPSG:4490"
	}
	return "EPSG:4326"
}
