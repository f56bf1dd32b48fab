// Command pgstore measures the PostgreSQL version store (store/pgstore)
// against the embedded one (store.Dir) in the same run: Publish and Load
// of the active version of a data directory, alternated round by round
// (each round a fresh directory store and a fresh database schema), with
// medians and ratios; then the sizes of the database's tables.
//
//	go run ./bench/pgstore --data DIR --store postgres://… [--rounds 5]
//
// The database's gridmap tables are emptied before each round: use a
// database of its own. With --load-only the database already holds the
// data directory's active version (gridmap migrate copy, or an import
// with --store) and only the loads are alternated, nothing emptied.
//
//	go run ./bench/pgstore --data DIR --store postgres://… --load-only [--rounds 3]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/store/pgstore"
	"github.com/jackc/pgx/v5"
)

func main() {
	data := flag.String("data", "", "data directory with an active version (required)")
	dbURL := flag.String("store", os.Getenv("GRIDMAP_STORE"), "PostgreSQL URL of a database of its own (required)")
	rounds := flag.Int("rounds", 5, "alternated rounds; medians are reported")
	loadOnly := flag.Bool("load-only", false, "only alternate loads of the version both stores hold")
	flag.Parse()
	if *data == "" || *dbURL == "" {
		fail(fmt.Errorf("--data and --store are required"))
	}
	run := run
	if *loadOnly {
		run = loads
	}
	if err := run(context.Background(), *data, *dbURL, *rounds); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pgstore:", err)
	os.Exit(1)
}

// times are the seconds of each measured step, round by round.
type times map[string][]float64

func (t times) add(name string, start time.Time) {
	t[name] = append(t[name], time.Since(start).Seconds())
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func run(ctx context.Context, data, dbURL string, rounds int) error {
	src, err := store.OpenDir(data)
	if err != nil {
		return err
	}
	id, err := src.Active(ctx)
	if err != nil {
		return err
	}
	d, m, err := src.Load(ctx, id)
	if err != nil {
		return err
	}
	grids := 0
	for _, l := range d.Layers {
		grids += len(l.Grids)
	}
	fmt.Printf("version %s of %s: %d layers, %d grids\n", id, data, len(d.Layers), grids)
	t := times{}
	for r := 0; r < rounds; r++ {
		if err := round(ctx, d, m.Meta, dbURL, t); err != nil {
			return err
		}
		runtime.GC()
	}
	for _, op := range []string{"publish", "load"} {
		dir, pg := median(t[op+" dir"]), median(t[op+" pg"])
		fmt.Printf("%-8s dir %7.2f s   pg %7.2f s   pg/dir %.2f   (medians of %d)\n", op, dir, pg, pg/dir, rounds)
	}
	return sizes(ctx, dbURL)
}

// loads alternates loads of the active version of data from the
// directory store and from the database.
func loads(ctx context.Context, data, dbURL string, rounds int) error {
	dir, err := store.OpenDir(data)
	if err != nil {
		return err
	}
	pg, err := pgstore.Open(ctx, dbURL, pgstore.Options{})
	if err != nil {
		return err
	}
	defer pg.Close()
	id, err := dir.Active(ctx)
	if err != nil {
		return err
	}
	t := times{}
	for r := 0; r < rounds; r++ {
		for _, s := range []struct {
			name string
			st   store.Store
		}{{"dir", dir}, {"pg", pg}} {
			start := time.Now()
			if _, _, err := s.st.Load(ctx, id); err != nil {
				return err
			}
			t.add(s.name, start)
			runtime.GC()
		}
	}
	dirT, pgT := median(t["dir"]), median(t["pg"])
	fmt.Printf("load %s: dir %.2f s   pg %.2f s   pg/dir %.2f   (medians of %d)\n", id, dirT, pgT, pgT/dirT, rounds)
	return sizes(ctx, dbURL)
}

// round publishes and loads d once in a new directory store and once in
// the emptied database, in alternating order.
func round(ctx context.Context, d *geo.Dataset, meta store.Meta, dbURL string, t times) error {
	tmp, err := os.MkdirTemp("", "bench-pgstore-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dir, err := store.OpenDir(tmp)
	if err != nil {
		return err
	}
	if err := empty(ctx, dbURL); err != nil {
		return err
	}
	pg, err := pgstore.Open(ctx, dbURL, pgstore.Options{Cache: tmp})
	if err != nil {
		return err
	}
	defer pg.Close()
	for _, s := range []struct {
		name string
		st   store.Store
	}{{"dir", dir}, {"pg", pg}} {
		start := time.Now()
		m, err := s.st.Publish(ctx, d, meta, true)
		if err != nil {
			return err
		}
		t.add("publish "+s.name, start)
		runtime.GC()
		start = time.Now()
		if _, _, err := s.st.Load(ctx, m.ID); err != nil {
			return err
		}
		t.add("load "+s.name, start)
		runtime.GC()
	}
	return nil
}

// empty removes every version from the database (once migrated).
func empty(ctx context.Context, dbURL string) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DO $$ BEGIN IF to_regclass('gridmap.versions') IS NOT NULL THEN TRUNCATE gridmap.versions CASCADE; END IF; END $$")
	return err
}

// sizes prints the size on disk of each gridmap table, indexes and TOAST
// included.
func sizes(ctx context.Context, dbURL string) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return err
	}
	rows, err := conn.Query(ctx, `SELECT c.relname, pg_total_relation_size(c.oid), pg_indexes_size(c.oid)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'gridmap' AND c.relkind = 'r' ORDER BY 2 DESC`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var total, idx int64
		if err := rows.Scan(&name, &total, &idx); err != nil {
			return err
		}
		fmt.Printf("table %-18s %9.1f MB (indexes %.1f MB)\n", name, float64(total)/1e6, float64(idx)/1e6)
	}
	return rows.Err()
}
