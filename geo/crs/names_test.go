package crs_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/crs"
)

func TestParseSystem(t *testing.T) {
	tests := []struct {
		in      string
		name    string
		zone    int
		lon0    float64
		falseE  float64
		wantErr bool
	}{
		{"", "wgs84", 0, 0, 0, false},
		{"EPSG:4326", "EPSG:4326", 0, 0, 0, false},
		{"epsg:4490", "EPSG:4490", 0, 0, 0, false},
		{"gcj02", "gcj02", 0, 0, 0, false},
		{"BD09", "bd09", 0, 0, 0, false},
		{"EPSG:4528", "EPSG:4528", 40, 120, 40500000, false},
		{"urn:ogc:def:crs:EPSG::4528", "EPSG:4528", 40, 120, 40500000, false},
		{"http://www.opengis.net/def/crs/EPSG/0/4549", "EPSG:4549", 40, 120, 500000, false},
		{"urn:ogc:def:crs:OGC:1.3:CRS84", "wgs84", 0, 0, 0, false},
		{"EPSG:4491", "EPSG:4491", 13, 75, 13500000, false},
		{"EPSG:4512", "EPSG:4512", 23, 135, 500000, false},
		{"EPSG:4513", "EPSG:4513", 25, 75, 25500000, false},
		{"EPSG:4554", "EPSG:4554", 45, 135, 500000, false},
		{"EPSG:3857", "", 0, 0, 0, true},
		{"mars", "", 0, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s, err := crs.ParseSystem(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if s.Name != tt.name {
				t.Errorf("name %q, want %q", s.Name, tt.name)
			}
			if tt.zone == 0 {
				if s.GK != nil {
					t.Errorf("projected, want lon/lat")
				}
				return
			}
			if s.GK == nil || s.GK.Zone != tt.zone || s.GK.Lon0 != tt.lon0 || s.GK.FalseEasting != tt.falseE {
				t.Errorf("got %+v, want zone %d lon0 %g false easting %g", s.GK, tt.zone, tt.lon0, tt.falseE)
			}
		})
	}
}

// TestParseForms: Parse takes every geographic name in all its forms and
// refuses a projected system as projected, an unknown name as unknown.
func TestParseForms(t *testing.T) {
	tests := []struct {
		in   string
		want crs.CRS
		err  error
	}{
		{"", crs.WGS84, nil},
		{" Wgs84 ", crs.WGS84, nil},
		{"CRS84", crs.WGS84, nil},
		{"http://www.opengis.net/def/crs/OGC/1.3/CRS84", crs.WGS84, nil},
		{"4326", crs.WGS84, nil},
		{"EPSG::4326", crs.WGS84, nil},
		{"https://www.opengis.net/def/crs/EPSG/0/4326", crs.WGS84, nil},
		{"urn:ogc:def:crs:EPSG:6.6:4490", crs.CGCS2000, nil},
		{"CGCS2000", crs.CGCS2000, nil},
		{"gcj-02", crs.GCJ02, nil},
		{"bd09", crs.BD09, nil},
		{"EPSG:4528", "", crs.ErrProjected},
		{"urn:ogc:def:crs:EPSG::4549", "", crs.ErrProjected},
		{"EPSG:3857", "", crs.ErrUnknown},
		{"http://www.opengis.net/def/crs/EPSG//4326", "", crs.ErrUnknown},
		{"epsg:::4326", "", crs.ErrUnknown},
		{"wgs-84", "", crs.ErrUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := crs.Parse(tt.in)
			if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Errorf("Parse(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

// TestChoices: every system a person may pick is parsed to itself by its
// id and named in both lists of names.
func TestChoices(t *testing.T) {
	choices := crs.Choices()
	if len(choices) != 4 || choices[0].ID != "wgs84" {
		t.Fatalf("choices %+v, want the four geographic systems, wgs84 first", choices)
	}
	for _, c := range choices {
		got, err := crs.Parse(c.ID)
		if err != nil || string(got) != c.ID || c.Label == "" {
			t.Errorf("%+v: Parse = %q, %v", c, got, err)
		}
		for _, names := range []string{crs.Names(), crs.GeographicNames()} {
			if !strings.Contains(names, c.ID) {
				t.Errorf("%q does not name %s", names, c.ID)
			}
		}
	}
}

// TestParseAllocs: a lookup's ?crs= costs no allocation.
func TestParseAllocs(t *testing.T) {
	for _, name := range []string{"gcj02", "bd09", "wgs84", "cgcs2000", "epsg:4326", "epsg:4490"} {
		if n := testing.AllocsPerRun(100, func() { crs.Parse(name) }); n != 0 {
			t.Errorf("Parse(%q): %v allocations", name, n)
		}
	}
}
