package tiles_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/gridmap/gridmap/export"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/internal/pmtiles"
	"github.com/gridmap/gridmap/tiles"
)

// FuzzOpenArchive: any bytes open as an archive or fail with
// pmtiles.ErrFormat, and tiles of an archive opened are read without a
// panic. Seeded with an archive of Jiangyin's county and towns, z0–8.
func FuzzOpenArchive(f *testing.F) {
	src, err := tiles.NewSource(gridtest.JiangyinSet(f, "county", "towns"), tiles.Options{})
	if err != nil {
		f.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := export.WritePMTiles(context.Background(), &b, f.TempDir(), src, export.PMTilesOptions{MaxZoom: 8}); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	over := src.TilesOver(8)
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := tiles.OpenArchive(b)
		if err != nil {
			if !errors.Is(err, pmtiles.ErrFormat) {
				t.Fatalf("error %v does not wrap ErrFormat", err)
			}
			return
		}
		for _, tl := range over {
			if _, err := a.Tile(int(tl.Z), int(tl.X), int(tl.Y)); err != nil && !errors.Is(err, pmtiles.ErrFormat) {
				t.Fatalf("tile %v: error %v does not wrap ErrFormat", tl, err)
			}
		}
	})
}
