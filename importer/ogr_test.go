package importer

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// needOGR skips a test when GDAL's ogr2ogr is not installed: CI does not
// need GDAL, and these tests say so when they skip.
func needOGR(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Skip("ogr2ogr not installed (apt-get install gdal-bin): Shapefile/GeoPackage/KML tests skipped")
	}
}

// TestOGRFormats imports three Jiangyin grids from a Shapefile with GBK
// attributes and a .cpg, a zipped Shapefile in EPSG:4528 with GBK
// attributes and no .cpg, a KML and a GeoPackage, each merged over
// Jiangyin, and wants the grids back with their Chinese names and within
// 1 m of the published ones, and the original file name in the report.
func TestOGRFormats(t *testing.T) {
	needOGR(t)
	base := jiangyin(t)
	gpkg := filepath.Join(t.TempDir(), "grids.gpkg")
	if out, err := exec.Command("ogr2ogr", "-f", "GPKG", gpkg, "testdata/shp_gbk/grids.shp").CombinedOutput(); err != nil {
		t.Fatalf("make GeoPackage: %v %s", err, out)
	}
	tests := []struct{ name, path string }{
		{"shapefile GBK with .cpg", "testdata/shp_gbk/grids.shp"},
		{"zipped shapefile EPSG:4528 GBK without .cpg", "testdata/grids_4528_gbk_nocpg.zip"},
		{"KML", "testdata/grids.kml"},
		{"GeoPackage", gpkg},
	}
	codes := []string{"320281104205001", "320281104205003", "320281104205006"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := Source{Layer: "grids", Path: tt.path}
			ds, rep, err := Import(context.Background(), []Source{src}, base, Options{Merge: true})
			if err != nil {
				t.Fatalf("%v\n%s", err, rep.Text())
			}
			if rep.Files[0].Path != tt.path || rep.Files[0].Features != 3 {
				t.Errorf("file summary %+v, want the original path and 3 features", rep.Files[0])
			}
			for _, code := range codes {
				got, want := ds.Layer("grids").Grid(code), base.Layer("grids").Grid(code)
				if got == nil {
					t.Fatalf("grid %s missing", code)
				}
				if got.Name != want.Name || !strings.Contains(got.Name, "村") {
					t.Errorf("%s: name %q, want %q", code, got.Name, want.Name)
				}
				worst := 0.0
				for ri, r := range got.Geom[0] {
					for i, v := range r {
						if i < len(want.Geom[0][ri]) {
							worst = max(worst, distM(v, want.Geom[0][ri][i]))
						}
					}
				}
				if len(got.Geom[0][0]) != len(want.Geom[0][0]) || worst > 1 {
					t.Errorf("%s: %d vertices, worst %.3f m from the original", code, len(got.Geom[0][0]), worst)
				}
			}
		})
	}
}

// TestOGRBadShapefile: a defect in a Shapefile is reported against the
// Shapefile's name and feature number.
func TestOGRBadShapefile(t *testing.T) {
	needOGR(t)
	overlap := badFile(t, "04_overlap.geojson")
	base := jiangyin(t)
	dir := t.TempDir()
	shp := filepath.Join(dir, "grids.shp")
	if out, err := exec.Command("ogr2ogr", "-f", "ESRI Shapefile", "-lco", "ENCODING=CP936", shp, overlap).CombinedOutput(); err != nil {
		t.Fatalf("make shapefile: %v %s", err, out)
	}
	_, rep, err := Import(context.Background(), []Source{{Layer: "grids", Path: shp}}, base, Options{Merge: true})
	if err == nil {
		t.Fatal("overlapping shapefile accepted")
	}
	found := false
	for _, p := range rep.Problems {
		if p.Kind == KindOverlap && p.File == shp && p.Feature == 1 && p.Code == "320281006202002" && strings.Contains(p.Message, shp) {
			found = true
		}
	}
	if !found {
		t.Errorf("no overlap against %s feature #1\n%s", shp, rep.Text())
	}
}

// TestOGRMissing: without ogr2ogr the report says how to install GDAL.
func TestOGRMissing(t *testing.T) {
	src := Source{Layer: "grids", Path: "testdata/shp_gbk/grids.shp"}
	_, rep, err := Import(context.Background(), []Source{src}, nil, Options{OGR2OGR: "/nonexistent/ogr2ogr"})
	if err == nil || !rep.Has(KindReadError) {
		t.Fatalf("want a read error, got %v", err)
	}
	if msg := rep.Problems[0].Message; !strings.Contains(msg, "apt-get install gdal-bin") || !strings.Contains(msg, "grids.shp") {
		t.Errorf("message %q does not say how to install GDAL", msg)
	}
}
