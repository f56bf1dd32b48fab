package server_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/importer"
)

// crsLookup asks for the chain of a Jiangyin point with ?crs=name.
func crsLookup(t *testing.T, base, name string) (int, []byte) {
	t.Helper()
	code, _, body := get(t, base+"/api/v1/lookup?lon=120.285&lat=31.905&crs="+url.QueryEscape(name))
	return code, body
}

// TestCRSNamesAgree: every form of every name is taken alike by the import
// path (Options.Validate, behind gridmap import --crs and the import API's
// crs field) and the lookup path (?crs=): a geographic system by both, with
// the lookup's answer that of the system's id; a projected system by the
// import, and by the lookup refused with a 400 saying it is projected; an
// unknown name by neither, both with crs's list of names.
func TestCRSNamesAgree(t *testing.T) {
	base := start(t)
	const projected, unknown = "projected", "unknown"
	tests := []struct {
		name string
		want string // the id of the geographic system, or projected, or unknown
	}{
		{"", "wgs84"},
		{"wgs84", "wgs84"},
		{" WGS84 ", "wgs84"},
		{"crs84", "wgs84"},
		{"urn:ogc:def:crs:OGC:1.3:CRS84", "wgs84"},
		{"urn:ogc:def:crs:OGC::CRS84", "wgs84"},
		{"http://www.opengis.net/def/crs/OGC/1.3/CRS84", "wgs84"},
		{"4326", "wgs84"},
		{"EPSG:4326", "wgs84"},
		{"epsg::4326", "wgs84"},
		{"urn:ogc:def:crs:EPSG::4326", "wgs84"},
		{"https://www.opengis.net/def/crs/EPSG/0/4326", "wgs84"},
		{"cgcs2000", "cgcs2000"},
		{"EPSG:4490", "cgcs2000"},
		{"urn:ogc:def:crs:EPSG:9.8.15:4490", "cgcs2000"},
		{"gcj02", "gcj02"},
		{"GCJ-02", "gcj02"},
		{"bd09", "bd09"},
		{"BD-09", "bd09"},
		{"EPSG:4528", projected},
		{"4549", projected},
		{"urn:ogc:def:crs:EPSG::4491", projected},
		{"http://www.opengis.net/def/crs/EPSG/0/4554", projected},
		{"mars", unknown},
		{"EPSG:3857", unknown},
		{"EPSG:4555", unknown},
		{"epsg:::4326", unknown},
		{"gcj 02", unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			importErr := importer.Options{CRS: tt.name}.Validate()
			code, body := crsLookup(t, base, tt.name)
			var e struct{ Param, Detail string }
			switch tt.want {
			case unknown:
				if !errors.Is(importErr, crs.ErrUnknown) || !strings.Contains(importErr.Error(), crs.Names()) {
					t.Errorf("import: %v, want the unknown name refused with the list of names", importErr)
				}
				json.Unmarshal(body, &e)
				if code != http.StatusBadRequest || e.Param != "crs" || !strings.Contains(e.Detail, crs.Names()) {
					t.Errorf("lookup: %d %s, want 400 naming crs with the list of names", code, body)
				}
			case projected:
				if importErr != nil {
					t.Errorf("import: %v", importErr)
				}
				json.Unmarshal(body, &e)
				if code != http.StatusBadRequest || e.Param != "crs" || !strings.Contains(e.Detail, "projected") ||
					!strings.Contains(e.Detail, crs.GeographicNames()) {
					t.Errorf("lookup: %d %s, want 400 naming crs: a projected system, and the geographic names", code, body)
				}
			default:
				if importErr != nil {
					t.Errorf("import: %v", importErr)
				}
				wantCode, want := crsLookup(t, base, tt.want)
				if code != http.StatusOK || wantCode != http.StatusOK || string(body) != string(want) {
					t.Errorf("lookup: %d %s, want as crs=%s: %d %s", code, body, tt.want, wantCode, want)
				}
			}
		})
	}
}

// TestConfigCoordinateSystems: /api/v1/config lists crs.Choices, and each
// id is taken by a lookup's ?crs= and by the import.
func TestConfigCoordinateSystems(t *testing.T) {
	base := start(t)
	code, _, body := get(t, base+"/api/v1/config")
	var got struct {
		CoordinateSystems []crs.Choice `json:"coordinate_systems"`
	}
	if err := json.Unmarshal(body, &got); err != nil || code != http.StatusOK {
		t.Fatalf("%d %v: %s", code, err, body)
	}
	if want := crs.Choices(); !reflect.DeepEqual(got.CoordinateSystems, want) || len(want) == 0 {
		t.Fatalf("coordinate_systems %+v, want %+v", got.CoordinateSystems, want)
	}
	for _, c := range got.CoordinateSystems {
		if c.Label == "" {
			t.Errorf("%s has no label", c.ID)
		}
		if code, body := crsLookup(t, base, c.ID); code != http.StatusOK {
			t.Errorf("lookup crs=%s: %d %s", c.ID, code, body)
		}
		if err := (importer.Options{CRS: c.ID}).Validate(); err != nil {
			t.Errorf("import --crs %s: %v", c.ID, err)
		}
	}
}
