package importer

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// TestProblemsGeoJSON imports each bad file over Jiangyin and decodes the
// GeoJSON of problem places: the defect the manifest names must be there,
// with its kind and code, within 2 km of the published grid of that code
// (or its parent); overlaps and gaps as polygons with their area.
func TestProblemsGeoJSON(t *testing.T) {
	bad := badDir(t)
	base := jiangyin(t)
	tests := []struct {
		file    string
		kind    string
		code    string
		polygon bool
	}{
		{"01_bowtie", KindInvalidGeometry, "320281001021002", false},
		{"02_unclosed_ring", KindRingUnclosed, "320281111208003", false},
		{"03_ring_lt4", KindRingTooShort, "320281110208001", false},
		{"04_overlap", KindOverlap, "320281006202002", true},
		{"05_gap", KindGap, "320281005002004", true},
		{"06_micro_outside_parent", KindNotCovered, "320281001067001005", true},
		{"07_duplicate_code", KindCodeDuplicate, "320281103214002", false},
		{"09_unknown_parent", KindParentUnknown, "320281400215001", false},
		{"10_latlon_swapped", KindLatLonSwapped, "320281400011003", false},
		{"12_projected_4528", KindProjected, "320281104205001", false},
		{"14_point_geometry", KindGeometryType, "320281112209004", false},
		{"15_hole_outside_shell", KindHoleOutsideShell, "320281001032005", false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src := ParseSource(filepath.Join(bad, tt.file+".geojson"))
			_, rep, _ := Import(context.Background(), []Source{src}, base, Options{Merge: true})
			var buf bytes.Buffer
			n, err := rep.WriteGeoJSON(&buf)
			if err != nil {
				t.Fatal(err)
			}
			fc, err := geojson.UnmarshalFeatureCollection(buf.Bytes())
			if err != nil {
				t.Fatalf("not GeoJSON: %v\n%s", err, buf.String())
			}
			if len(fc.Features) != n || n == 0 {
				t.Fatalf("%d features decoded, %d written", len(fc.Features), n)
			}
			var ref orb.Bound
			for _, l := range base.Layers {
				if g := l.Grid(tt.code); g != nil {
					ref = g.Bound()
				}
			}
			found := false
			for _, f := range fc.Features {
				if f.Properties.MustString("kind", "") != tt.kind || f.Properties.MustString("code", "") != tt.code {
					continue
				}
				found = true
				if f.Properties.MustString("message", "") == "" || f.Properties.MustString("severity", "") == "" {
					t.Errorf("properties incomplete: %v", f.Properties)
				}
				_, isPoly := f.Geometry.(orb.Polygon)
				_, isMulti := f.Geometry.(orb.MultiPolygon)
				if tt.polygon && !(isPoly || isMulti) {
					t.Errorf("geometry %s, want the overlap/gap polygon", f.Geometry.GeoJSONType())
				}
				if tt.polygon && f.Properties.MustFloat64("area_m2", 0) <= 1 {
					t.Errorf("no area: %v", f.Properties)
				}
				if !ref.IsEmpty() && !ref.Pad(0.02).Intersects(f.Geometry.Bound()) {
					t.Errorf("placed at %v, far from grid %s at %v", f.Geometry.Bound(), tt.code, ref)
				}
			}
			if !found {
				t.Errorf("no %s feature for code %s in\n%s", tt.kind, tt.code, buf.String())
			}
		})
	}
}
