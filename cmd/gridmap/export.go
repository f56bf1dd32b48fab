package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gridmap/gridmap/export"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/version"
)

// runExport writes a version as one PMTiles file or as GeoJSON files
// (package export): it parses the flags, loads the version and reports.
func runExport(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	data := fs.String("data", defaultData, "data directory")
	storeURL := storeFlag(fs)
	format := fs.String("format", "pmtiles", "pmtiles (one file of vector tiles) or geojson (one FeatureCollection per layer)")
	out := fs.String("out", "", "the PMTiles file, or the directory of the GeoJSON files (required)")
	minZoom := fs.Int("minzoom", 8, "first zoom written (pmtiles)")
	maxZoom := fs.Int("maxzoom", 16, "last zoom written (pmtiles)")
	id := fs.String("version", "", "version to export (default the active one)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return fmt.Errorf("%w: unexpected argument %q", errUsage, pos[0])
	case *out == "":
		return fmt.Errorf("%w: --out is required", errUsage)
	case *format != "pmtiles" && *format != "geojson":
		return fmt.Errorf("%w: --format %q is neither pmtiles nor geojson", errUsage, *format)
	case *minZoom < 0 || *maxZoom > tiles.MaxZoom || *minZoom > *maxZoom:
		return fmt.Errorf("%w: zooms %d..%d not within 0..%d", errUsage, *minZoom, *maxZoom, tiles.MaxZoom)
	}
	ctx := context.Background()
	cat, err := openCatalog(place{*data, *storeURL}, version.BuildOptions{}, nil)
	if err != nil {
		return err
	}
	d, m, err := cat.Load(ctx, *id)
	if errors.Is(err, version.ErrNoVersion) {
		return fmt.Errorf("no version in %s to export", *data)
	}
	if err != nil {
		return err
	}
	if *format == "geojson" {
		return export.GeoJSON(ctx, *out, d, export.GeoJSONOptions{Progress: func(path string, grids int) {
			fmt.Fprintf(stdout, "%s: %d grids\n", path, grids)
		}})
	}
	src, err := tiles.NewSource(d, tiles.Options{})
	if err != nil {
		return err
	}
	start := time.Now()
	stats, err := export.PMTiles(ctx, *out, src, export.PMTilesOptions{
		MinZoom: *minZoom, MaxZoom: *maxZoom, Version: m.ID,
		Progress: func(done, total int) {
			fmt.Fprintf(stderr, "\rtiles %d/%d", done, total)
			if done == total {
				fmt.Fprintln(stderr)
			}
		},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: version %s, zooms %d–%d, %d tiles written (%d empty skipped), %d distinct, %.1f MB, %.1f s\n",
		*out, m.ID, *minZoom, *maxZoom, stats.NonEmpty, stats.Tiles-stats.NonEmpty, stats.Contents, float64(stats.Bytes)/1e6, time.Since(start).Seconds())
	return nil
}
