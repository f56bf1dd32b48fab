package importer

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/peterstace/simplefeatures/geom"
)

// goldenProblems are problems of every shape WriteGeoJSON handles: a
// polygon, a multipolygon, an overlay result with lines beside its polygon,
// points at awkward decimals, and places that are left out.
func goldenProblems(t *testing.T) []Problem {
	t.Helper()
	wkt := func(s string) geom.Geometry {
		g, err := geom.UnmarshalWKT(s)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	return []Problem{
		{Kind: KindOverlap, Severity: "error", File: "a.geojson", Feature: 3, Code: "320281001", Other: "320281002", Layer: "grids",
			Message: "overlap", AreaM2: 1234.5678, Location: loc(120.1, 31.9),
			shape: shapeOf(wkt("POLYGON((120.1 31.9,120.1000001 31.9,120.1000001 31.9000003,120.1 31.9))"))},
		{Kind: KindGap, Severity: "warning", Layer: "microgrids", Message: "gap", AreaM2: 0.04,
			shape: shapeOf(wkt("MULTIPOLYGON(((120 31,121 31,121 32,120 32,120 31)),((122.123456789 30,122.5 30,122.5 30.5,122.123456789 30)))"))},
		{Kind: KindNotCovered, Severity: "error", Code: "x", Message: "lines beside the polygon",
			shape: shapeOf(wkt("GEOMETRYCOLLECTION(LINESTRING(0 0,1 1),POLYGON((-0.5 -0.5,0.5 -0.5,0.5 0.5,-0.5 -0.5)),POINT(3 3))"))},
		{Kind: KindRingUnclosed, Severity: "error", File: "b.geojson", Feature: 7, Code: "c7", Message: "point", Location: loc(120.123456789, 31.987654321)},
		{Kind: KindRingTooShort, Severity: "fixed", Message: "round values", Location: loc(120, -31.5)},
		{Kind: KindGeometryType, Severity: "error", Message: "tiny values", Location: loc(-0.000000001, 0.000000006)},
		{Kind: KindProjected, Severity: "error", Message: "out of range: left out", Location: loc(500000, 3500000)},
		{Kind: KindCodeDuplicate, Severity: "error", Message: "no place: left out"},
		{Kind: KindOverlap, Severity: "error", Message: "only lines: a point", Location: loc(1, 2),
			shape: shapeOf(wkt("LINESTRING(0 0,1 1)"))},
	}
}

// TestWriteGeoJSONGolden compares WriteGeoJSON's output for goldenProblems
// with testdata/problems.geojson, written before the GeoJSON writer was
// shared with export and synth (commit 53fa905): the same features with the
// same decoded values (the points were then printed with trailing zeros).
func TestWriteGeoJSONGolden(t *testing.T) {
	r := &Report{Problems: goldenProblems(t)}
	var buf bytes.Buffer
	n, err := r.WriteGeoJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "problems.geojson")
	want := gridtest.Golden(t, path, buf.Bytes())
	var got, exp map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if err := json.Unmarshal(want, &exp); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("output differs from %s:\n%s\nwant\n%s", path, buf.String(), want)
	}
	if n != 7 {
		t.Errorf("%d features written, want 7", n)
	}
}
