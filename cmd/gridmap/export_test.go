package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/protomaps/go-pmtiles/pmtiles"
)

// TestExport runs `gridmap export` on the imported bundled sample: the
// GeoJSON files and a PMTiles file of a few zooms are written and reported,
// and bad flags and an unknown version are refused. What the files hold is
// tested in package export.
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
	if code != 0 || !strings.Contains(out, "microgrids.geojson: 7123 grids") {
		t.Fatalf("export geojson: %d\n%s\n%s", code, out, errs)
	}
	for _, p := range paths {
		if _, err := os.Stat(filepath.Join(dir, filepath.Base(p))); err != nil {
			t.Error(err)
		}
	}

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
