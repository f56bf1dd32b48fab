package importer

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
)

func TestParseSource(t *testing.T) {
	tests := []struct {
		arg  string
		want Source
	}{
		{"microgrids.geojson", Source{Layer: "microgrids", Path: "microgrids.geojson"}},
		{"/data/jiangyin/grids.gcj02.geojson", Source{Layer: "grids", Path: "/data/jiangyin/grids.gcj02.geojson"}},
		{"grids=/tmp/x.json", Source{Layer: "grids", Path: "/tmp/x.json", Named: true}},
		{"./a=b/c.ndjson", Source{Layer: "c", Path: "./a=b/c.ndjson"}},
		{"noext", Source{Layer: "noext", Path: "noext"}},
		{"jiangyin.gpkg", Source{Layer: "jiangyin", Path: "jiangyin.gpkg"}},
		{"jiangyin.gpkg:towns", Source{Layer: "towns", Path: "jiangyin.gpkg", FileLayer: "towns"}},
		{"grids=/d/jiangyin.GPKG:wangge", Source{Layer: "grids", Path: "/d/jiangyin.GPKG", FileLayer: "wangge", Named: true}},
		{"grids=C:/d/j.kml:grids", Source{Layer: "grids", Path: "C:/d/j.kml", FileLayer: "grids", Named: true}},
		{"x.gdb:villages", Source{Layer: "villages", Path: "x.gdb", FileLayer: "villages"}},
		{"a:b.geojson", Source{Layer: "a:b", Path: "a:b.geojson"}},
		{"towns.gpkg:", Source{Layer: "towns", Path: "towns.gpkg:"}},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			if got := ParseSource(tt.arg); got != tt.want {
				t.Errorf("ParseSource(%q) = %+v, want %+v", tt.arg, got, tt.want)
			}
		})
	}
}

// TestBadFiles imports every file of shared/data/bad over the five
// Jiangyin layers with Merge and checks the kind and the feature named by
// bad/MANIFEST.md.
func TestBadFiles(t *testing.T) {
	bad := badDir(t)
	base := jiangyin(t)
	tests := []struct {
		file    string
		kind    string
		code    string
		feature int
		others  []string // codes an overlap problem of code must name
		text    string   // must appear in the problem's message
	}{
		{"01_bowtie", KindInvalidGeometry, "320281001021002", 1, nil, "self-intersects at"},
		{"02_unclosed_ring", KindRingUnclosed, "320281111208003", 1, nil, "not closed"},
		{"03_ring_lt4", KindRingTooShort, "320281110208001", 1, nil, ">= 4"},
		{"04_overlap", KindOverlap, "320281006202002", 1, []string{"320281006217001", "320281006202003"}, "m²"},
		{"05_gap", KindGap, "320281005002004", 1, nil, "320281005002"},
		{"06_micro_outside_parent", KindNotCovered, "320281001067001005", 6, nil, "320281001067001"},
		{"07_duplicate_code", KindCodeDuplicate, "320281103214002", 2, nil, "features 1 and 2"},
		{"08_missing_code", KindCodeMissing, "", 1, nil, `"code"`},
		{"09_unknown_parent", KindParentUnknown, "320281400215001", 1, nil, "320281400999"},
		{"10_latlon_swapped", KindLatLonSwapped, "320281400011003", 1, nil, "[lat, lon]"},
		{"11_gcj02_mixed", KindLooksGCJ02, "320281103200001", 1, nil, "GCJ-02"},
		{"12_projected_4528", KindProjected, "320281104205001", 1, nil, "EPSG:4528"},
		{"13_truncated", KindJSONSyntax, "320281107210003", 2, nil, "unexpected end"},
		{"14_point_geometry", KindGeometryType, "320281112209004", 1, nil, "Point"},
		{"15_hole_outside_shell", KindHoleOutsideShell, "320281001032005", 1, nil, "hole"},
		{"16_nan_1e308", KindJSONSyntax, "320281400204004", 1, nil, "'N'"},
		{"17_empty_collection", KindEmpty, "", 0, nil, "no features"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src := ParseSource(filepath.Join(bad, tt.file+".geojson"))
			ds, rep, err := Import(context.Background(), []Source{src}, base, Options{Merge: true})
			if !errors.Is(err, ErrRejected) || ds != nil {
				t.Fatalf("want rejection, got ds=%v err=%v\n%s", ds != nil, err, rep.Text())
			}
			var match []Problem
			for _, p := range rep.Problems {
				if p.Kind == tt.kind && p.Code == tt.code && p.Feature == tt.feature {
					match = append(match, p)
				}
			}
			if len(match) == 0 {
				t.Fatalf("no %s problem for code %q feature %d\n%s", tt.kind, tt.code, tt.feature, rep.Text())
			}
			if !strings.Contains(match[0].Message, tt.text) {
				t.Errorf("message %q lacks %q", match[0].Message, tt.text)
			}
			if match[0].Kind == KindJSONSyntax && (match[0].Line < 1 || match[0].Column < 1) {
				t.Errorf("syntax error without line/column: %+v", match[0])
			}
			for _, o := range tt.others {
				found := false
				for _, p := range match {
					if p.Other == o && p.AreaM2 > 1 && p.Location != nil {
						found = true
					}
				}
				if !found {
					t.Errorf("no %s between %s and %s with area and location\n%s", tt.kind, tt.code, o, rep.Text())
				}
			}
			if tt.kind == KindInvalidGeometry && match[0].Location == nil {
				t.Errorf("self-intersection without location")
			}
		})
	}
}

// TestCleanSets imports every published set and expects no error and the
// layers ordered coarse to fine.
func TestCleanSets(t *testing.T) {
	tests := []struct {
		set    string
		layers []string // coarse → fine
	}{
		{"jiangyin", jiangyinLayers},
		{"nanchangxian", []string{"county", "towns", "villages", "grids"}},
		{"doumen", []string{"county", "towns", "grids"}},
		{"baiteng", []string{"street", "communities", "grids"}},
		{"xiadian", []string{"town", "areas", "villages", "groups"}},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			// Give the files fine → coarse so the order must be computed.
			var srcs []Source
			for i := len(tt.layers) - 1; i >= 0; i-- {
				srcs = append(srcs, setSources(t, tt.set, tt.layers[i])...)
			}
			ds, rep, err := Import(context.Background(), srcs, nil, Options{})
			if err != nil {
				t.Fatalf("%v\n%s", err, rep.Text())
			}
			if n := rep.Errors(); n != 0 {
				t.Fatalf("%d errors\n%s", n, rep.Text())
			}
			for _, p := range rep.Problems {
				t.Logf("%s: %s", p.Kind, p.Message)
			}
			var got []string
			for _, l := range ds.Layers {
				got = append(got, l.Name)
			}
			if strings.Join(got, ",") != strings.Join(tt.layers, ",") {
				t.Errorf("layers %v, want %v", got, tt.layers)
			}
			for i, l := range ds.Layers {
				want := ""
				if i > 0 {
					want = tt.layers[i-1]
				}
				if l.Parent != want {
					t.Errorf("layer %s parent %q, want %q", l.Name, l.Parent, want)
				}
			}
		})
	}
}

// TestGCJ02Layer imports the GCJ-02 copy of the Jiangyin grids with CRS
// gcj02 in place of the grids layer: it must pass every check and land
// within 1 m of the WGS84 file, vertex for vertex.
func TestGCJ02Layer(t *testing.T) {
	src := Source{Layer: "grids", Path: gcj02Grids(t)}
	base := jiangyin(t)
	ds, rep, err := Import(context.Background(), []Source{src}, base, Options{CRS: "gcj02"})
	if err != nil {
		t.Fatalf("%v\n%s", err, rep.Text())
	}
	want := base.Layer("grids")
	got := ds.Layer("grids")
	if len(got.Grids) != len(want.Grids) {
		t.Fatalf("%d grids, want %d", len(got.Grids), len(want.Grids))
	}
	worst := 0.0
	for _, g := range got.Grids {
		w := want.Grid(g.Code)
		if w == nil || len(w.Geom) != len(g.Geom) {
			t.Fatalf("grid %s missing or different shape", g.Code)
		}
		for pi := range g.Geom {
			for ri := range g.Geom[pi] {
				for vi, v := range g.Geom[pi][ri] {
					worst = math.Max(worst, distM(v, w.Geom[pi][ri][vi]))
				}
			}
		}
	}
	t.Logf("worst vertex distance %.3f m", worst)
	if worst > 1 {
		t.Errorf("worst vertex %.3f m from grids.geojson, want < 1 m", worst)
	}
}

// TestGCJ02LayerWithoutCRS imports the same file without CRS: rejected,
// with a looks_gcj02 warning.
func TestGCJ02LayerWithoutCRS(t *testing.T) {
	src := Source{Layer: "grids", Path: gcj02Grids(t)}
	base := jiangyin(t)
	_, rep, err := Import(context.Background(), []Source{src}, base, Options{})
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("want rejection, got %v", err)
	}
	if !rep.Has(KindLooksGCJ02) {
		t.Errorf("no looks_gcj02 warning\n%s", rep.Text())
	}
}

// TestGCJ02Resampled: micro grids drawn anew in a web map tool (shifted to
// GCJ-02, with vertices where no neighbour has one) are still recognised
// as GCJ-02 when merged without a declaration, and the same file declared
// gcj02 is not called GCJ-02.
func TestGCJ02Resampled(t *testing.T) {
	base := jiangyin(t)
	src := ParseSource("testdata/gcj02_resampled.geojson")
	_, rep, err := Import(context.Background(), []Source{src}, base, Options{Merge: true})
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("want rejection, got %v", err)
	}
	if !rep.Has(KindLooksGCJ02) {
		t.Errorf("no looks_gcj02 warning\n%s", rep.Text())
	}
	_, rep, _ = Import(context.Background(), []Source{src}, base, Options{Merge: true, CRS: CRSGCJ02})
	if rep.Has(KindLooksGCJ02) {
		t.Errorf("looks_gcj02 on the declared file\n%s", rep.Text())
	}
}

// importTestdata imports files of testdata without a base.
func importTestdata(t *testing.T, opts Options, files ...string) (*geo.Dataset, *Report, error) {
	t.Helper()
	var srcs []Source
	for _, f := range files {
		srcs = append(srcs, ParseSource(filepath.Join("testdata", f)))
	}
	return Import(context.Background(), srcs, nil, opts)
}

func TestFixtures(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		kinds []string // error kinds expected; none = clean import
		check func(t *testing.T, ds *geo.Dataset, rep *Report)
	}{
		{"two layers, codes as numbers, T-junctions on the parent", []string{"two_layers_parent.geojson", "two_layers_children.geojson"}, nil,
			func(t *testing.T, ds *geo.Dataset, rep *Report) {
				l := ds.Layer("two_layers_children")
				g := l.Grid("2")
				if g == nil || l.Parent != "two_layers_parent" {
					t.Fatalf("code 2 not found or wrong parent layer %q", l.Parent)
				}
				if ringArea2(g.Geom[0][0]) <= 0 {
					t.Error("outer ring not reoriented counter-clockwise")
				}
				if h, ok := g.Props["households"].(float64); !ok || h != 12 {
					t.Errorf("households = %#v", g.Props["households"])
				}
			}},
		{"ndjson with BOM", []string{"two_layers_parent.geojson", "children.ndjson"}, nil,
			func(t *testing.T, ds *geo.Dataset, rep *Report) {
				if n := len(ds.Layer("children").Grids); n != 2 {
					t.Errorf("%d grids", n)
				}
				if rep.Files[1].Format != "ndjson" {
					t.Errorf("format %q", rep.Files[1].Format)
				}
			}},
		{"multipolygon with hole and island", []string{"multipolygon_holes.geojson"}, nil,
			func(t *testing.T, ds *geo.Dataset, rep *Report) {
				g := ds.Layer("multipolygon_holes").Grid("M1")
				if len(g.Geom) != 2 || len(g.Geom[0]) != 2 || ringArea2(g.Geom[0][1]) >= 0 {
					t.Errorf("hole lost or not clockwise: %v", g.Geom)
				}
			}},
		{"empty file", []string{"empty_file.geojson"}, []string{KindEmpty}, nil},
		{"nested collection", []string{"nested_collection.geojson"}, []string{KindFeatureType}, nil},
		{"properties null", []string{"properties_null.geojson"}, []string{KindCodeMissing}, nil},
		{"bare geometry", []string{"geometry_not_collection.geojson"}, []string{KindNotCollection}, nil},
		{"NaN on line 4", []string{"nan_multiline.geojson"}, []string{KindJSONSyntax},
			func(t *testing.T, ds *geo.Dataset, rep *Report) {
				p := rep.Problems[0]
				if p.Line != 4 || p.Column != 61 || p.Code != "A" || p.Feature != 1 {
					t.Errorf("got line %d column %d code %q feature %d: %s", p.Line, p.Column, p.Code, p.Feature, p.Message)
				}
			}},
		{"overlapping roots", []string{"overlap_roots.geojson"}, []string{KindOverlap},
			func(t *testing.T, ds *geo.Dataset, rep *Report) {
				p := rep.Problems[0]
				// 0.01° × 0.01° at 31°N ≈ 1113 m × 954 m.
				if p.AreaM2 < 1.0e6 || p.AreaM2 > 1.1e6 {
					t.Errorf("overlap area %.0f m²", p.AreaM2)
				}
			}},
		{"missing parent layer", []string{"two_layers_children.geojson"}, nil,
			func(t *testing.T, ds *geo.Dataset, rep *Report) {
				if !rep.Has(KindParentUnknown) || rep.Errors() != 0 {
					t.Errorf("want a parent_unknown warning only\n%s", rep.Text())
				}
			}},
		{"1e308", []string{"huge_coordinate.geojson"}, []string{KindCoordinateInvalid}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, rep, err := importTestdata(t, Options{}, tt.files...)
			var kinds []string
			for _, p := range rep.Problems {
				if p.Severity == SeverityError {
					kinds = append(kinds, p.Kind)
				}
			}
			if strings.Join(kinds, ",") != strings.Join(tt.kinds, ",") {
				t.Fatalf("error kinds %v, want %v\n%s", kinds, tt.kinds, rep.Text())
			}
			if (err != nil) != (len(tt.kinds) > 0) {
				t.Fatalf("err = %v", err)
			}
			if tt.check != nil {
				tt.check(t, ds, rep)
			}
		})
	}
}

func TestOptionsValidate(t *testing.T) {
	for _, o := range []Options{
		{CRS: "epsg:3857"},
		{Tolerance: math.NaN()},
		{Tolerance: math.Inf(1)},
		{Tolerance: -1},
		{Snap: math.NaN()},
		{Snap: 101},
	} {
		if _, _, err := Import(context.Background(), []Source{{Layer: "x", Path: "x"}}, nil, o); err == nil || errors.Is(err, ErrRejected) {
			t.Errorf("options %+v: err = %v", o, err)
		}
	}
}

func TestCheckLayerName(t *testing.T) {
	for name, ok := range map[string]bool{
		"microgrids": true, "grid-2024": true, "网格": true, "police_beats": true,
		"": false, "../evil": false, "a/b": false, `a\b`: false, "grids.v2": false, "two words": false,
		strings.Repeat("a", MaxLayerName): true, strings.Repeat("a", MaxLayerName+1): false,
	} {
		if err := CheckLayerName(name); (err == nil) != ok {
			t.Errorf("CheckLayerName(%q) = %v", name, err)
		}
	}
	if _, _, err := Import(context.Background(), []Source{{Layer: "../x", Path: "testdata/merge_new_child.geojson"}}, nil, Options{}); err == nil || errors.Is(err, ErrRejected) {
		t.Errorf("layer ../x: err = %v", err)
	}
}

// TestMergeSameCodeTwoFiles: two files of one merge that hold the same code
// are refused, naming both.
func TestMergeSameCodeTwoFiles(t *testing.T) {
	base, rep, err := importTestdata(t, Options{}, "two_layers_parent.geojson", "two_layers_children.geojson")
	if err != nil {
		t.Fatalf("%v\n%s", err, rep.Text())
	}
	f := ParseSource("testdata/two_layers_children.geojson")
	_, rep, err = Import(context.Background(), []Source{f, f}, base, Options{Merge: true})
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("err = %v", err)
	}
	n := 0
	for _, p := range rep.Problems {
		if p.Kind == KindCodeDuplicate && strings.Contains(p.Message, "in one merge") {
			n++
		}
	}
	if n == 0 {
		t.Errorf("no duplicate across files\n%s", rep.Text())
	}
}

// TestMergeNewCode merges a new grid whose parent has children in another
// layer: it joins that layer and its overlap with a sibling is found.
func TestMergeNewCode(t *testing.T) {
	base, rep, err := importTestdata(t, Options{}, "two_layers_parent.geojson", "two_layers_children.geojson")
	if err != nil {
		t.Fatalf("%v\n%s", err, rep.Text())
	}
	_, rep, err = Import(context.Background(), []Source{ParseSource("testdata/merge_new_child.geojson")}, base, Options{Merge: true})
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("err = %v", err)
	}
	found := false
	for _, p := range rep.Problems {
		if p.Kind == KindOverlap && p.Code == "C3" && p.Other == "2" && p.Layer == "two_layers_children" {
			found = true
		}
	}
	if !found {
		t.Errorf("no overlap C3/2 in layer two_layers_children\n%s", rep.Text())
	}
	if base.Layer("two_layers_children").Grid("C3") != nil {
		t.Error("base modified")
	}
}

// TestGCJ02Conversion converts the GCJ-02 grids with no base to snap to:
// the conversion alone must bring every vertex within 1 m (in fact within
// a few centimetres) of the WGS84 file.
func TestGCJ02Conversion(t *testing.T) {
	src := Source{Layer: "grids", Path: gcj02Grids(t)}
	want := jiangyin(t).Layer("grids")
	ds, rep, err := Import(context.Background(), []Source{src}, nil, Options{CRS: CRSGCJ02})
	if err != nil {
		t.Fatalf("%v\n%s", err, rep.Text())
	}
	worst := 0.0
	for _, g := range ds.Layer("grids").Grids {
		w := want.Grid(g.Code)
		for pi := range g.Geom {
			for ri := range g.Geom[pi] {
				for vi, v := range g.Geom[pi][ri] {
					worst = math.Max(worst, distM(v, w.Geom[pi][ri][vi]))
				}
			}
		}
	}
	t.Logf("worst vertex distance %.4f m", worst)
	if worst > 1 {
		t.Errorf("worst vertex %.3f m off", worst)
	}
}

// TestProblemText: the terminal text gives a problem's location when its
// message does not, and a rejection names a GCJ-02 warning beside the first
// error.
func TestProblemText(t *testing.T) {
	p := Problem{Kind: KindCodeDuplicate, Message: "duplicate code 1", Location: &[2]float64{120.5, 31.25}}
	if got := p.Text(); got != "duplicate code 1 (at 120.5000000, 31.2500000)" {
		t.Errorf("Text() = %q", got)
	}
	p.Message = "ring self-intersects at (120.5, 31.25)"
	if got := p.Text(); got != p.Message {
		t.Errorf("Text() = %q", got)
	}
	r := &Report{Counts: map[string]int{}}
	r.add(Problem{Kind: KindGap, Severity: SeverityError, Message: "gap"})
	r.add(Problem{Kind: KindLooksGCJ02, Severity: SeverityWarning, Message: "looks like GCJ-02"})
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "looks like GCJ-02") || !strings.Contains(err.Error(), "first: gap") {
		t.Errorf("Err() = %v", err)
	}
}

// TestCoordinateErrorWording: coordinates that do not decode are explained
// without Go type names, and located at the grid they would replace.
func TestCoordinateErrorWording(t *testing.T) {
	base := jiangyin(t)
	code := base.Layer("microgrids").Grids[0].Code
	dir := t.TempDir()
	for name, coords := range map[string]string{
		"overflow": `[[[120.1,31.1],[1e400,31.2],[120.2,31.2],[120.1,31.1]]]`,
		"string":   `[[[120.1,31.1],["120.2",31.2],[120.2,31.2],[120.1,31.1]]]`,
	} {
		path := filepath.Join(dir, name+".geojson")
		os.WriteFile(path, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"`+code+`"},"geometry":{"type":"Polygon","coordinates":`+coords+`}}]}`), 0o644)
		_, rep, err := Import(context.Background(), []Source{{Layer: "microgrids", Path: path}}, base, Options{Merge: true})
		if !errors.Is(err, ErrRejected) {
			t.Fatalf("%s: err = %v", name, err)
		}
		var p *Problem
		for i := range rep.Problems {
			if rep.Problems[i].Kind == KindCoordinateInvalid {
				p = &rep.Problems[i]
			}
		}
		if p == nil || strings.Contains(p.Message, "Go value") || strings.Contains(p.Message, "float64") || p.Location == nil {
			t.Errorf("%s: %+v", name, p)
		}
	}
}
