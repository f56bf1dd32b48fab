package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

const singleSQL = `SELECT code FROM microgrids WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326)) LIMIT 1`

// genPoints writes n seeded random points inside the county, drawn by
// PostGIS (ST_GeneratePoints), as CSV id,lon,lat.
func genPoints(ctx context.Context, dsn string, n int, seed int64, out string) error {
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	rows, err := c.Query(ctx, `SELECT ST_X(g), ST_Y(g) FROM (SELECT (ST_Dump(ST_GeneratePoints(ST_Union(geom), $1::int, $2::int))).geom AS g FROM county) s`, n, seed)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "id,lon,lat")
	i := 0
	for rows.Next() {
		var lon, lat float64
		if err := rows.Scan(&lon, &lat); err != nil {
			return err
		}
		fmt.Fprintf(w, "%d,%s,%s\n", i, strconv.FormatFloat(lon, 'f', 7, 64), strconv.FormatFloat(lat, 'f', 7, 64))
		i++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func readPoints(path string) ([][2]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var pts [][2]float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fl := strings.Split(sc.Text(), ",")
		if len(fl) < 3 {
			continue
		}
		lon, e1 := strconv.ParseFloat(fl[1], 64)
		lat, e2 := strconv.ParseFloat(fl[2], 64)
		if e1 == nil && e2 == nil {
			pts = append(pts, [2]float64{lon, lat})
		}
	}
	if len(pts) == 0 {
		return nil, fmt.Errorf("%s: no points", path)
	}
	return pts, sc.Err()
}

// single runs the prepared ST_Covers statement over the points from conns
// connections, rounds times, and reports medians.
func single(ctx context.Context, dsn, path string, conns int, d time.Duration, rounds int) error {
	pts, err := readPoints(path)
	if err != nil {
		return err
	}
	cs := make([]*pgx.Conn, conns)
	for i := range cs {
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return err
		}
		defer c.Close(ctx)
		if _, err := c.Prepare(ctx, "covers", singleSQL); err != nil {
			return err
		}
		cs[i] = c
	}
	var rps, p50, p90, p99 []float64
	for r := 0; r <= rounds; r++ { // round 0 warms up
		rd := d
		if r == 0 {
			rd = time.Second
		}
		lat := make([][]int64, conns)
		misses, errs := make([]int, conns), make([]int, conns)
		var wg sync.WaitGroup
		start := time.Now()
		deadline := start.Add(rd)
		for w := range cs {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				var code string
				for i := w * 7919; ; i++ {
					t0 := time.Now()
					if t0.After(deadline) {
						return
					}
					p := pts[i%len(pts)]
					err := cs[w].QueryRow(ctx, "covers", p[0], p[1]).Scan(&code)
					lat[w] = append(lat[w], int64(time.Since(t0)))
					switch {
					case errors.Is(err, pgx.ErrNoRows):
						misses[w]++
					case err != nil:
						errs[w]++
					}
				}
			}(w)
		}
		wg.Wait()
		el := time.Since(start)
		if r == 0 {
			continue
		}
		var all []int64
		nerr, nmiss := 0, 0
		for w := range lat {
			all = append(all, lat[w]...)
			nerr += errs[w]
			nmiss += misses[w]
		}
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		q := func(f float64) float64 { return float64(all[int(f*float64(len(all)-1))]) / 1e3 }
		rps = append(rps, float64(len(all))/el.Seconds())
		p50, p90, p99 = append(p50, q(0.5)), append(p90, q(0.9)), append(p99, q(0.99))
		emit(map[string]any{"peer": "postgis", "mode": "single", "conns": conns, "round": r, "rps": rps[len(rps)-1], "p50_us": q(0.5), "p90_us": q(0.9), "p99_us": q(0.99), "queries": len(all), "no_grid": nmiss, "errors": nerr})
	}
	emit(map[string]any{"peer": "postgis", "mode": "single-summary", "conns": conns, "rounds": rounds, "rps_median": median(rps), "rps_min": minf(rps), "rps_max": maxf(rps), "p50_us_median": median(p50), "p90_us_median": median(p90), "p99_us_median": median(p99)})
	return nil
}

// batch makes a table of n seeded random points inside the county and
// times the join with the micro grids, rounds times.
func batch(ctx context.Context, dsn string, n int, seed int64, rounds int) error {
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	t0 := time.Now()
	for _, q := range []string{
		"DROP TABLE IF EXISTS pts",
		fmt.Sprintf("CREATE TABLE pts AS SELECT row_number() OVER () AS id, g AS geom FROM (SELECT (ST_Dump(ST_GeneratePoints(ST_Union(geom), %d, %d))).geom AS g FROM county) s", n, seed),
		"ANALYZE pts",
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	emit(map[string]any{"peer": "postgis", "mode": "batch-table", "points": n, "seconds": time.Since(t0).Seconds()})
	const q = `SELECT count(*) FROM pts p JOIN microgrids m ON ST_Covers(m.geom, p.geom)`
	var plan []string
	rows, err := c.Query(ctx, "EXPLAIN "+q)
	if err == nil {
		for rows.Next() {
			var s string
			rows.Scan(&s)
			plan = append(plan, strings.TrimSpace(s))
		}
		rows.Close()
	}
	var pps []float64
	for r := 1; r <= rounds; r++ {
		var matched int64
		t := time.Now()
		if err := c.QueryRow(ctx, q).Scan(&matched); err != nil {
			return err
		}
		el := time.Since(t)
		pps = append(pps, float64(n)/el.Seconds())
		emit(map[string]any{"peer": "postgis", "mode": "batch", "round": r, "points": n, "matched": matched, "seconds": el.Seconds(), "points_per_sec": pps[len(pps)-1]})
	}
	emit(map[string]any{"peer": "postgis", "mode": "batch-summary", "points": n, "points_per_sec_median": median(pps), "min": minf(pps), "max": maxf(pps), "plan": strings.Join(plan, " | ")})
	return nil
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func minf(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[0]
}

func maxf(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)-1]
}
