package crs

import "errors"

var (
	// ErrUnknown is wrapped by the error of Parse, ParseSystem and ParseWKT
	// for a name or text that names no system gridmap knows.
	ErrUnknown = errors.New("unknown coordinate system")
	// ErrProjected is wrapped by the error of Parse for a projected system
	// (easting, northing in metres) where (lon, lat) degrees are wanted.
	ErrProjected = errors.New("projected coordinate system")
)
