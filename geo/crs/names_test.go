package crs_test

import (
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
