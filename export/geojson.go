package export

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/internal/geojsonout"
)

// Decimals are the decimals of the coordinates LayerGeoJSON writes: 7,
// about 1 cm, the precision the importer keeps.
const Decimals = 7

// GeoJSONOptions configure GeoJSON.
type GeoJSONOptions struct {
	// Progress, when set, is called when a layer's file is in place, with
	// its path and its number of grids.
	Progress func(path string, grids int)
}

// GeoJSON writes each layer of d to dir/NAME.geojson (NAME the layer's
// name) with LayerGeoJSON, creating dir if needed. Each file is written
// beside its path (mode 0644 less the umask, like any file a
// program creates) and renamed into place when complete.
func GeoJSON(ctx context.Context, dir string, d *geo.Dataset, o GeoJSONOptions) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("geojson: %w", err)
	}
	for _, l := range d.Layers {
		path := filepath.Join(dir, l.Name+".geojson")
		if err := layerFile(ctx, path, l); err != nil {
			return fmt.Errorf("geojson %s: %w", path, err)
		}
		if o.Progress != nil {
			o.Progress(path, len(l.Grids))
		}
	}
	return nil
}

// LayerGeoJSON writes l to w as one GeoJSON FeatureCollection, one feature
// per grid and per line, in the layer's order: properties as imported
// (every property of the source feature), geometry a Polygon when the grid
// has one polygon, else a MultiPolygon, with (lon, lat) rounded to Decimals
// decimals and rings as the model holds them (outer counter-clockwise). It
// stops when ctx ends.
func LayerGeoJSON(ctx context.Context, w io.Writer, l *geo.Layer) error {
	gw := geojsonout.NewWriter(w, Decimals)
	for _, g := range l.Grids {
		if err := ctx.Err(); err != nil {
			return err
		}
		f := geojsonout.Feature{Properties: g.Props, Geometry: g.Geom}
		if len(g.Geom) == 1 {
			f.Geometry = g.Geom[0]
		}
		if err := gw.Write(&f); err != nil {
			return fmt.Errorf("grid %s: %w", g.Code, err)
		}
	}
	return gw.Close()
}

// layerFile writes l to path with LayerGeoJSON through a file beside it,
// synced and renamed into place when complete.
func layerFile(ctx context.Context, path string, l *geo.Layer) error {
	f, err := createBeside(path, ".export-*.geojson")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := LayerGeoJSON(ctx, f, l); err != nil {
		return err
	}
	return commit(f, path)
}
