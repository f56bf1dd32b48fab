package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/version"
	"github.com/paulmach/orb"
)

// runExport writes a version as one PMTiles file or as GeoJSON files.
func runExport(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	data := fs.String("data", defaultData, "data directory")
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
	cat, err := openCatalog(*data, version.BuildOptions{}, nil)
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
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
		for _, l := range d.Layers {
			path := filepath.Join(*out, l.Name+".geojson")
			if err := writeLayerGeoJSON(path, l); err != nil {
				return fmt.Errorf("write %s: %w", path, err)
			}
			fmt.Fprintf(stdout, "%s: %d grids\n", path, len(l.Grids))
		}
		return nil
	}
	src, err := tiles.NewSource(d, tiles.Options{})
	if err != nil {
		return err
	}
	start := time.Now()
	stats, err := src.WritePMTiles(ctx, *out, tiles.ExportOptions{
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

// writeLayerGeoJSON writes l as a GeoJSON FeatureCollection to path, one
// feature at a time: properties as imported (every property of the source
// feature), geometry a Polygon or MultiPolygon with (lon, lat) rounded to 7
// decimals (about 1 cm), rings as the model holds them (outer
// counter-clockwise). The file is renamed into place when complete.
func writeLayerGeoJSON(path string, l *geo.Layer) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".export-*.geojson")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(`{"type":"FeatureCollection","features":[`)
	buf := make([]byte, 0, 1<<16)
	for i, g := range l.Grids {
		props, err := json.Marshal(g.Props)
		if err != nil {
			return fmt.Errorf("grid %s: properties: %w", g.Code, err)
		}
		buf = buf[:0]
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n{\"type\":\"Feature\",\"properties\":"...)
		buf = append(buf, props...)
		buf = append(buf, ",\"geometry\":"...)
		buf = appendGeometry(buf, g.Geom)
		buf = append(buf, '}')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	w.WriteString("\n]}\n")
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// appendGeometry appends mp as GeoJSON: a Polygon when it has one polygon,
// else a MultiPolygon.
func appendGeometry(b []byte, mp orb.MultiPolygon) []byte {
	appendPolygon := func(b []byte, p orb.Polygon) []byte {
		b = append(b, '[')
		for ri, r := range p {
			if ri > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			for pi, pt := range r {
				if pi > 0 {
					b = append(b, ',')
				}
				b = append(b, '[')
				b = appendCoord(b, pt[0])
				b = append(b, ',')
				b = appendCoord(b, pt[1])
				b = append(b, ']')
			}
			b = append(b, ']')
		}
		return append(b, ']')
	}
	if len(mp) == 1 {
		b = append(b, `{"type":"Polygon","coordinates":`...)
		return append(appendPolygon(b, mp[0]), '}')
	}
	b = append(b, `{"type":"MultiPolygon","coordinates":[`...)
	for i, p := range mp {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendPolygon(b, p)
	}
	return append(b, "]}"...)
}

// appendCoord appends v with 7 decimals, trailing zeros dropped.
func appendCoord(b []byte, v float64) []byte {
	n := len(b)
	b = strconv.AppendFloat(b, v, 'f', 7, 64)
	for len(b) > n && b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	if s := string(b[n:]); s == "-0" {
		b = append(b[:n], '0')
	}
	return b
}
