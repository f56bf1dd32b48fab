package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/geojson"
)

var layerNames = []string{"county", "towns", "villages", "grids", "microgrids"}

// load creates one table per layer (code, parent, name, geom) with COPY of
// WKT into a staging table, then a GiST index.
func load(ctx context.Context, dsn, dir string) error {
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	for _, name := range layerNames {
		b, err := os.ReadFile(filepath.Join(dir, name+".geojson"))
		if err != nil {
			return err
		}
		fc, err := geojson.UnmarshalFeatureCollection(b)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		rows := make([][]any, 0, len(fc.Features))
		for _, f := range fc.Features {
			var g orb.Geometry = f.Geometry
			if p, ok := g.(orb.Polygon); ok {
				g = orb.MultiPolygon{p}
			}
			rows = append(rows, []any{f.Properties.MustString("code", ""), f.Properties.MustString("parent", ""), f.Properties.MustString("name", ""), wkt.MarshalString(g)})
		}
		stage := name + "_stage"
		for _, q := range []string{
			"DROP TABLE IF EXISTS " + name + ", " + stage,
			"CREATE TABLE " + stage + " (code text, parent text, name text, wkt text)",
		} {
			if _, err := c.Exec(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		if _, err := c.CopyFrom(ctx, pgx.Identifier{stage}, []string{"code", "parent", "name", "wkt"}, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
		for _, q := range []string{
			"CREATE TABLE " + name + " AS SELECT code, nullif(parent, '') AS parent, name, ST_GeomFromText(wkt, 4326)::geometry(MultiPolygon, 4326) AS geom FROM " + stage,
			"DROP TABLE " + stage,
		} {
			if _, err := c.Exec(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		fmt.Fprintf(os.Stderr, "pgpeer: loaded %s: %d rows\n", name, len(rows))
	}
	return nil
}
