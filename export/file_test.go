//go:build unix

package export_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/gridmap/gridmap/export"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/tiles"
)

// TestFileModes: exported files are created readable by all, less the
// umask, as any program's output (they were 0600, the mode of
// os.CreateTemp).
func TestFileModes(t *testing.T) {
	d := sampleDataset(t)
	src, err := tiles.NewSource(d, tiles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	writers := []struct {
		name  string
		write func(dir string) (string, error)
	}{
		{"geojson", func(dir string) (string, error) {
			return filepath.Join(dir, "county.geojson"), export.GeoJSON(context.Background(), dir, &geo.Dataset{Layers: d.Layers[:1]}, export.GeoJSONOptions{})
		}},
		{"pmtiles", func(dir string) (string, error) {
			path := filepath.Join(dir, "wall.pmtiles")
			_, err := export.PMTiles(context.Background(), path, src, export.PMTilesOptions{MinZoom: 8, MaxZoom: 8})
			return path, err
		}},
	}
	for _, umask := range []int{0o022, 0o077} {
		for _, w := range writers {
			t.Run(w.name, func(t *testing.T) {
				old := syscall.Umask(umask)
				defer syscall.Umask(old)
				path, err := w.write(t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				fi, err := os.Stat(path)
				if err != nil {
					t.Fatal(err)
				}
				if want := os.FileMode(0o644 &^ umask); fi.Mode().Perm() != want {
					t.Errorf("umask %#o: mode %v, want %v", umask, fi.Mode().Perm(), want)
				}
			})
		}
	}
}
