package lookup

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/gridmap/gridmap/lookup/decimal"
	"github.com/paulmach/orb"
)

// InputError is a fault in a batch's input. It names the point (0-based
// index), its line in the input when known (1-based), and the field.
type InputError struct {
	Index int
	Line  int
	Field string
	Msg   string
	// Err is the kind of fault when one is named (ErrUnknownMember), or nil.
	Err error
}

// ErrUnknownMember is the kind of an InputError of a JSON batch holding a
// member other than "points" (errors.Is).
var ErrUnknownMember = errors.New("unknown member")

// Unwrap returns the kind of the fault, or nil.
func (e *InputError) Unwrap() error { return e.Err }

func (e *InputError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "point %d", e.Index)
	if e.Line > 0 {
		fmt.Fprintf(&b, " (line %d)", e.Line)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ", field %s", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// CoordError is a coordinate that is not a decimal number, or a point not
// in range. Its message is the one the API and the command line give alike:
// `lon "0x1p7" is not a number`, `lat 95 out of range [-90, 90]`.
type CoordError struct {
	// Field is "lon" or "lat".
	Field string
	Msg   string
}

func (e *CoordError) Error() string { return e.Msg }

// ParseCoord parses text as the coordinate field ("lon" or "lat"), in
// degrees of any coordinate system, by the rules of decimal.Parse. Its error
// is a *CoordError. It allocates nothing on success.
func ParseCoord(field, text string) (float64, error) {
	f, ok := decimal.Parse(text)
	if !ok {
		return 0, &CoordError{Field: field, Msg: fmt.Sprintf("%s %q is not a number", field, text)}
	}
	return f, nil
}

// ParsePoint parses the point (lon, lat) from the decimal texts of its
// coordinates, in degrees (longitude first) of any coordinate system, and
// checks that it is a finite point in range. Its error is a *CoordError
// naming the field at fault, lon before lat.
func ParsePoint(lonText, latText string) (orb.Point, error) {
	lon, err := ParseCoord("lon", lonText)
	if err != nil {
		return orb.Point{}, err
	}
	lat, err := ParseCoord("lat", latText)
	if err != nil {
		return orb.Point{}, err
	}
	if field, msg := CheckLonLat(lon, lat); field != "" {
		return orb.Point{}, &CoordError{Field: field, Msg: msg}
	}
	return orb.Point{lon, lat}, nil
}

// CheckLonLat reports a coordinate that is not a finite (lon, lat) in range
// as an error naming the field.
func CheckLonLat(lon, lat float64) (field, msg string) {
	switch {
	case math.IsNaN(lon) || math.IsInf(lon, 0):
		return "lon", "lon is not a finite number"
	case math.IsNaN(lat) || math.IsInf(lat, 0):
		return "lat", "lat is not a finite number"
	case lon < -180 || lon > 180:
		return "lon", fmt.Sprintf("lon %v out of range [-180, 180]", lon)
	case lat < -90 || lat > 90:
		return "lat", fmt.Sprintf("lat %v out of range [-90, 90]", lat)
	}
	return "", ""
}
