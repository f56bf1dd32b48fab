package export_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/export"
	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/internal/gridtest"
)

// TestGeoJSONGolden exports the imported bundled sample and compares each
// file's bytes, by SHA-256, with testdata/sample.sha256, recorded from
// `gridmap export --format geojson` of commit 53fa905 (before export became
// a package with a shared GeoJSON writer).
func TestGeoJSONGolden(t *testing.T) {
	d := sampleDataset(t)
	dir := t.TempDir()
	var sums strings.Builder
	var layers []string
	err := export.GeoJSON(context.Background(), dir, d, export.GeoJSONOptions{Progress: func(path string, grids int) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256(b), filepath.Base(path))
		layers = append(layers, fmt.Sprintf("%s %d", filepath.Base(path), grids))
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("files: %v", layers)
	path := filepath.Join("testdata", "sample.sha256")
	if got, want := sums.String(), gridtest.Golden(t, path, []byte(sums.String())); got != string(want) {
		t.Errorf("files differ from %s:\n%s\nwant\n%s", path, got, want)
	}
}

// TestGeoJSONRoundTrip exports the imported bundled sample as GeoJSON and
// imports that again: every grid comes back identical (code, name, level,
// parent, properties, geometry).
func TestGeoJSONRoundTrip(t *testing.T) {
	want := sampleDataset(t)
	dir := t.TempDir()
	if err := export.GeoJSON(context.Background(), dir, want, export.GeoJSONOptions{}); err != nil {
		t.Fatal(err)
	}
	var srcs []importer.Source
	for _, l := range want.Layers {
		srcs = append(srcs, importer.Source{Layer: l.Name, Path: filepath.Join(dir, l.Name+".geojson")})
	}
	got, rep, err := importer.Import(context.Background(), srcs, nil, importer.Options{})
	if err != nil {
		t.Fatalf("re-import: %v %+v", err, rep)
	}
	if len(got.Layers) != len(want.Layers) {
		t.Fatalf("%d layers back, want %d", len(got.Layers), len(want.Layers))
	}
	grids := 0
	for i, wl := range want.Layers {
		gl := got.Layers[i]
		if gl.Name != wl.Name || gl.Parent != wl.Parent || len(gl.Grids) != len(wl.Grids) {
			t.Fatalf("layer %d: %s (parent %s, %d grids), want %s (parent %s, %d grids)", i, gl.Name, gl.Parent, len(gl.Grids), wl.Name, wl.Parent, len(wl.Grids))
		}
		for j, wg := range wl.Grids {
			g := gl.Grids[j]
			if g.Code != wg.Code || g.Name != wg.Name || g.Level != wg.Level || g.Parent != wg.Parent {
				t.Errorf("%s %s: %+v", wl.Name, wg.Code, g)
			}
			if !reflect.DeepEqual(g.Props, wg.Props) {
				t.Errorf("%s %s: properties %v, want %v", wl.Name, wg.Code, g.Props, wg.Props)
			}
			if !reflect.DeepEqual(g.Geom, wg.Geom) {
				t.Errorf("%s %s: geometry differs", wl.Name, wg.Code)
			}
			grids++
		}
	}
	t.Logf("%d grids of %d layers identical after export and re-import", grids, len(want.Layers))
}

// TestGeoJSONErrors: a cancelled export and an unwritable directory fail
// with an error naming the file, and leave no file behind.
func TestGeoJSONErrors(t *testing.T) {
	d := sampleDataset(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	blocked := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ctx  context.Context
		dir  string
		is   error
		want string
	}{
		{"cancelled", cancelled, t.TempDir(), context.Canceled, "county.geojson"},
		{"dir is a file", context.Background(), blocked, nil, "geojson"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := export.GeoJSON(tt.ctx, tt.dir, d, export.GeoJSONOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || (tt.is != nil && !errors.Is(err, tt.is)) {
				t.Fatalf("error %v, want one naming %q", err, tt.want)
			}
			if left, _ := os.ReadDir(tt.dir); tt.dir != blocked && len(left) != 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}
