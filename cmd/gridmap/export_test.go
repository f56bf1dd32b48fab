package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/store"
	"github.com/protomaps/go-pmtiles/pmtiles"
)

// TestExport imports the bundled sample, exports it as GeoJSON and imports
// that again: every grid comes back identical (code, name, level, parent,
// properties, geometry). A PMTiles export of a few zooms is a valid file
// with tiles.
func TestExport(t *testing.T) {
	data := t.TempDir()
	paths, err := sampleFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errs := gm(t, "", append([]string{"import", "--data", data}, paths...)...); code != 0 {
		t.Fatalf("import: %d\n%s\n%s", code, out, errs)
	}
	dir := filepath.Join(t.TempDir(), "geojson")
	code, out, errs := gm(t, "", "export", "--data", data, "--format", "geojson", "--out", dir)
	if code != 0 || !strings.Contains(out, "microgrids.geojson") {
		t.Fatalf("export geojson: %d\n%s\n%s", code, out, errs)
	}
	ctx := context.Background()
	st, err := store.OpenDir(data)
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := st.Load(ctx, "v1")
	if err != nil {
		t.Fatal(err)
	}
	var srcs []importer.Source
	for _, l := range want.Layers {
		srcs = append(srcs, importer.Source{Layer: l.Name, Path: filepath.Join(dir, l.Name+".geojson")})
	}
	got, rep, err := importer.Import(ctx, srcs, nil, importer.Options{})
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

	pm := filepath.Join(t.TempDir(), "wall.pmtiles")
	code, out, errs = gm(t, "", "export", "--data", data, "--format", "pmtiles", "--out", pm, "--minzoom", "10", "--maxzoom", "12", "--version", "v1")
	if code != 0 || !strings.Contains(out, "version v1, zooms 10–12") {
		t.Fatalf("export pmtiles: %d\n%s\n%s", code, out, errs)
	}
	b, err := os.ReadFile(pm)
	if err != nil {
		t.Fatal(err)
	}
	h, err := pmtiles.DeserializeHeader(b[:pmtiles.HeaderV3LenBytes])
	if err != nil || h.MinZoom != 10 || h.MaxZoom != 12 || h.AddressedTilesCount == 0 || h.TileDataOffset+h.TileDataLength != uint64(len(b)) {
		t.Errorf("header %+v, %v", h, err)
	}
	for _, args := range [][]string{
		{"export", "--data", data},
		{"export", "--data", data, "--out", pm, "--format", "mbtiles"},
		{"export", "--data", data, "--out", pm, "--minzoom", "12", "--maxzoom", "10"},
	} {
		if code, _, errs := gm(t, "", args...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
	if code, _, errs := gm(t, "", "export", "--data", data, "--out", pm, "--version", "v9"); code != 1 || !strings.Contains(errs, "v9") {
		t.Errorf("unknown version: exit %d, %q", code, errs)
	}
}
