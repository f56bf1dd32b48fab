package lookup_test

import (
	"errors"
	"testing"

	"github.com/gridmap/gridmap/lookup"
	"github.com/paulmach/orb"
)

// TestParsePoint: the coordinate rules the GET lookup, the CSV batch and the
// command line share, with the field and the wording of each refusal.
func TestParsePoint(t *testing.T) {
	for _, tc := range []struct {
		name, lon, lat string
		want           orb.Point
		field, msg     string
	}{
		{"plain", "120.285", "31.905", orb.Point{120.285, 31.905}, "", ""},
		{"signs, spaces, exponent", "+120.5", " 3.15e1 ", orb.Point{120.5, 31.5}, "", ""},
		{"negative zero", "-0", "0", orb.Point{0, 0}, "", ""},
		{"hex", "0x1p7", "31", orb.Point{}, "lon", `lon "0x1p7" is not a number`},
		{"underscore", "120", "3_1", orb.Point{}, "lat", `lat "3_1" is not a number`},
		{"inf", "inf", "31", orb.Point{}, "lon", `lon "inf" is not a number`},
		{"nan", "120", "NaN", orb.Point{}, "lat", `lat "NaN" is not a number`},
		{"overflow", "1e400", "31", orb.Point{}, "lon", `lon "1e400" is not a number`},
		{"empty", "", "31", orb.Point{}, "lon", `lon "" is not a number`},
		{"lon first", "x", "y", orb.Point{}, "lon", `lon "x" is not a number`},
		{"lon range", "181", "31", orb.Point{}, "lon", "lon 181 out of range [-180, 180]"},
		{"lat range", "120", "-90.5", orb.Point{}, "lat", "lat -90.5 out of range [-90, 90]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := lookup.ParsePoint(tc.lon, tc.lat)
			if tc.field == "" {
				if err != nil || p != tc.want {
					t.Fatalf("ParsePoint(%q, %q) = %v, %v; want %v", tc.lon, tc.lat, p, err, tc.want)
				}
				return
			}
			var ce *lookup.CoordError
			if !errors.As(err, &ce) || ce.Field != tc.field || err.Error() != tc.msg {
				t.Fatalf("ParsePoint(%q, %q) error %v (%T), want field %s, %q", tc.lon, tc.lat, err, err, tc.field, tc.msg)
			}
		})
	}
}
