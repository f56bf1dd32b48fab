package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"syscall"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/stats"
	"github.com/gridmap/gridmap/stats/statstest"
	"github.com/jackc/pgx/v5"
)

// statsFigures are the figures both peer queries compute per grid: count,
// closed, rejected, overdue, mean rating, and the median and p90 handling
// time (percentile_disc is the nearest-rank percentile the ledger
// computes; NULL handling times, of unhandled incidents, are left out by
// it as by the ledger).
const statsFigures = `count(*),
	count(*) FILTER (WHERE i.status = 'closed'),
	count(*) FILTER (WHERE i.status = 'rejected'),
	count(*) FILTER (WHERE i.overdue),
	coalesce(avg(i.rating) FILTER (WHERE i.rating > 0), 0),
	coalesce(percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM i.handled_at - i.reported_at)), 0),
	coalesce(percentile_disc(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM i.handled_at - i.reported_at)), 0)`

// joinSQL returns the peer of a stats query by layer: the figures per
// grid of the layer's table by a spatial join of the incident points with
// the grids, grouped by grid.
func joinSQL(layer string) string {
	return "SELECT g.code, " + statsFigures + "\nFROM incidents i JOIN " + pgx.Identifier{layer}.Sanitize() +
		" g ON ST_Contains(g.geom, i.geom)\nGROUP BY g.code"
}

// columnSQL returns the same figures grouped by a grid code stored with
// each incident when it was located (columns towns and microgrids), as the
// ledger's rows keep their chains: no join at query time.
func columnSQL(layer string) string {
	col := "i." + pgx.Identifier{layer}.Sanitize()
	return "SELECT " + col + ", " + statsFigures + "\nFROM incidents i\nGROUP BY " + col
}

// peerRow is one grid's figures as PostGIS computed them.
type peerRow struct {
	total, closed, rejected, overdue int
	satisfaction, p50, p90           float64
}

// statsPeer loads n synthetic incidents (statstest, seeded) over the
// Jiangyin layers of dir into a stats.Ledger and into a PostGIS table, then
// times the same figures by layer in both, alternated, rounds times each,
// and reports the medians, their ratio and how many grids' figures agree;
// also PostGIS grouping by a grid code column stored with each incident
// (no join).
func statsPeer(ctx context.Context, dsn, dir string, n int, seed int64, rounds int) error {
	cells, err := statstest.LoadCells(dir, statstest.JiangyinLayers)
	if err != nil {
		return err
	}
	incs := statstest.Generate(cells, n, uint64(seed), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	t0 := time.Now()
	ledger := stats.NewLedger()
	for _, inc := range incs {
		ledger.Put(inc)
	}
	emit(map[string]any{"peer": "gridmap", "mode": "stats-load", "incidents": n, "seconds": time.Since(t0).Seconds()})
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	t0 = time.Now()
	if err := loadIncidents(ctx, c, incs); err != nil {
		return err
	}
	emit(map[string]any{"peer": "postgis", "mode": "stats-load", "incidents": n, "seconds": time.Since(t0).Seconds()})
	for _, layer := range []string{"towns", "microgrids"} {
		var gm, gmCPU, pg, col []float64
		var res stats.Result
		var rows, colRows map[string]peerRow
		for range rounds {
			t, cpu := time.Now(), cpuTime()
			if res, err = ledger.Query(stats.Query{Layer: layer}); err != nil {
				return err
			}
			gm = append(gm, ms(time.Since(t)))
			gmCPU = append(gmCPU, ms(cpuTime()-cpu))
			t = time.Now()
			if rows, err = peerStats(ctx, c, joinSQL(layer)); err != nil {
				return err
			}
			pg = append(pg, ms(time.Since(t)))
			t = time.Now()
			if colRows, err = peerStats(ctx, c, columnSQL(layer)); err != nil {
				return err
			}
			col = append(col, ms(time.Since(t)))
		}
		same, diff := agree(res.Grids, rows)
		colSame, colDiff := agree(res.Grids, colRows)
		emit(map[string]any{"mode": "stats", "layer": layer, "incidents": n, "rounds": rounds,
			"gridmap_ms": gm, "postgis_ms": pg, "gridmap_ms_median": median(gm),
			"gridmap_cpu_ms": gmCPU, "gridmap_cpu_ms_median": median(gmCPU), "postgis_ms_median": median(pg),
			"ratio": median(pg) / median(gm), "grids": len(res.Grids), "postgis_grids": len(rows),
			"grids_agree": same, "grids_differ": diff,
			"postgis_column_ms": col, "postgis_column_ms_median": median(col), "column_ratio": median(col) / median(gm),
			"column_grids_agree": colSame, "column_grids_differ": colDiff})
	}
	return nil
}

// loadIncidents creates the table incidents with COPY and a GiST index.
func loadIncidents(ctx context.Context, c *pgx.Conn, incs []incident.Incident) error {
	for _, q := range []string{
		"DROP TABLE IF EXISTS incidents, incidents_stage",
		"CREATE UNLOGGED TABLE incidents_stage (id bigint, status text, category text, source text, reported_at timestamptz, handled_at timestamptz, rating int, overdue bool, lon float8, lat float8, towns text, microgrids text)",
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(incs) {
			return nil, nil
		}
		inc := &incs[i]
		i++
		var handled any
		if !inc.HandledAt.IsZero() {
			handled = inc.HandledAt
		}
		return []any{int64(inc.ID), string(inc.Status), inc.Category, inc.Source, inc.ReportedAt, handled, inc.Rating, inc.Overdue, inc.Lon, inc.Lat,
			chainCode(inc.Chain, "towns"), chainCode(inc.Chain, "microgrids")}, nil
	})
	cols := []string{"id", "status", "category", "source", "reported_at", "handled_at", "rating", "overdue", "lon", "lat", "towns", "microgrids"}
	if _, err := c.CopyFrom(ctx, pgx.Identifier{"incidents_stage"}, cols, src); err != nil {
		return fmt.Errorf("copy incidents: %w", err)
	}
	for _, q := range []string{
		"CREATE TABLE incidents AS SELECT id, status, category, source, reported_at, handled_at, rating, overdue, towns, microgrids, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geometry(Point, 4326) AS geom FROM incidents_stage",
		"DROP TABLE incidents_stage",
		"CREATE INDEX incidents_gist ON incidents USING gist (geom)",
		"ANALYZE incidents",
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	fmt.Fprintf(os.Stderr, "pgpeer: loaded incidents: %d rows\n", len(incs))
	return nil
}

// peerStats runs sql (joinSQL or columnSQL of a layer) and returns
// its figures by code.
func peerStats(ctx context.Context, c *pgx.Conn, sql string) (map[string]peerRow, error) {
	rows, err := c.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	out := map[string]peerRow{}
	for rows.Next() {
		var code string
		var r peerRow
		if err := rows.Scan(&code, &r.total, &r.closed, &r.rejected, &r.overdue, &r.satisfaction, &r.p50, &r.p90); err != nil {
			return nil, err
		}
		out[code] = r
	}
	return out, rows.Err()
}

// agree counts the grids whose figures the ledger and PostGIS agree on
// (counts exactly, percentiles exactly, satisfaction to 1e-9) and those
// they differ on (a grid either one lacks counts as differing).
func agree(grids []stats.Figures, peer map[string]peerRow) (same, diff int) {
	seen := 0
	for _, f := range grids {
		p, ok := peer[f.Code]
		if ok {
			seen++
		}
		rejected := f.ByStatus[incident.Rejected]
		if ok && p.total == f.Total && p.closed == f.Closed && p.rejected == rejected && p.overdue == f.Overdue &&
			p.p50 == f.MedianHandlingS && p.p90 == f.P90HandlingS && math.Abs(p.satisfaction-f.Satisfaction) < 1e-9 {
			same++
		} else {
			diff++
		}
	}
	return same, diff + len(peer) - seen
}

// chainCode returns the code of chain's grid of layer, or "".
func chainCode(chain []incident.Link, layer string) string {
	for _, k := range chain {
		if k.Layer == layer {
			return k.Code
		}
	}
	return ""
}

// cpuTime returns the CPU time (user and system) the process has used: a
// query's CPU time is what a loaded machine does not inflate.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
