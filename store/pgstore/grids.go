package pgstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/gridmap/gridmap/geo"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/encoding/ewkb"
)

// srid is the coordinate system of gridmap.grids: WGS84 lon/lat.
const srid = 4326

// copyGrids writes every grid of d as a row of gridmap.grids of version n
// in tx (COPY, the geometry as EWKB).
func copyGrids(ctx context.Context, tx pgx.Tx, n int32, d *geo.Dataset) error {
	src := &gridSource{n: n, layers: d.Layers, j: -1}
	cols := []string{"version", "layer", "code", "name", "level", "parent", "properties", "geom"}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"gridmap", "grids"}, cols, src)
	return err
}

// gridSource is the rows of the grids of layers, layer by layer, for
// CopyFrom.
type gridSource struct {
	n      int32
	layers []*geo.Layer
	i, j   int // layer, grid
	row    []any
	err    error
}

func (g *gridSource) Next() bool {
	for g.i < len(g.layers) {
		l := g.layers[g.i]
		if g.j++; g.j < len(l.Grids) {
			g.err = g.fill(l, l.Grids[g.j])
			return g.err == nil
		}
		g.i, g.j = g.i+1, -1
	}
	return false
}

// fill makes the row of grid gr of layer l.
func (g *gridSource) fill(l *geo.Layer, gr *geo.Grid) error {
	props, err := json.Marshal(gr.Props)
	if err != nil {
		return fmt.Errorf("layer %s grid %s: properties: %w", l.Name, gr.Code, err)
	}
	geom, err := ewkb.Marshal(gr.Geom, srid)
	if err != nil {
		return fmt.Errorf("layer %s grid %s: geometry: %w", l.Name, gr.Code, err)
	}
	g.row = []any{g.n, l.Name, gr.Code, gr.Name, nullable(gr.Level), nullable(gr.Parent), props, geom}
	return nil
}

func (g *gridSource) Values() ([]any, error) { return g.row, nil }
func (g *gridSource) Err() error             { return g.err }

// nullable is s, or SQL NULL for "".
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
