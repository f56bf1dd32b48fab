package synth

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/internal/geojsonout"
)

// ReadGrids reads the features of a GeoJSON FeatureCollection file as grids:
// code, name, level and parent from their properties, every property kept
// in Props, (lon, lat) as written (WGS84 for gridmap's files). It checks
// only that each feature has a code and a (Multi)Polygon; the importer is
// what checks a layer.
func ReadGrids(path string) ([]*geo.Grid, error) {
	l, err := readLayer(filepath.Base(path), path)
	if err != nil {
		return nil, err
	}
	out := make([]*geo.Grid, len(l.Features))
	for i := range l.Features {
		f := &l.Features[i]
		g := &geo.Grid{Code: f.Code, Name: f.Name, Level: f.Level, Parent: f.Parent, Geom: f.Geom}
		g.Props = maps.Clone(f.Extra)
		g.Props["code"], g.Props["name"] = g.Code, g.Name
		if g.Level != "" {
			g.Props["level"] = g.Level
		}
		if g.Parent != "" {
			g.Props["parent"] = g.Parent
		}
		out[i] = g
	}
	return out, nil
}

// WriteGrids writes grids to w as a FeatureCollection, one feature per line,
// id = code, properties = Props, (lon, lat) coordinates as held, with the
// fewest digits that read back exactly.
func WriteGrids(ctx context.Context, w io.Writer, grids []*geo.Grid) error {
	gw := geojsonout.NewWriter(w, geojsonout.Shortest)
	for _, g := range grids {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := gw.Write(&geojsonout.Feature{ID: g.Code, Properties: g.Props, Geometry: g.Geom}); err != nil {
			return err
		}
	}
	return gw.Close()
}

// WriteGridsFile is WriteGrids into a new file at path.
func WriteGridsFile(ctx context.Context, path string, grids []*geo.Grid) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	if err := WriteGrids(ctx, f, grids); err != nil {
		f.Close()
		return fmt.Errorf("synth: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("synth: write %s: %w", path, err)
	}
	return nil
}
