// Command pgpeer measures PostGIS as gridmap's baseline peer and uses it as a
// correctness oracle. It is a benchmark helper, run by bench/postgis.sh.
//
//	pgpeer load   --dsn DSN --dir DIR            load the five layers (when ogr2ogr is missing)
//	pgpeer points --dsn DSN --n N --out FILE     N random points inside the county (CSV id,lon,lat)
//	pgpeer single --dsn DSN --points FILE --conns N --duration D --rounds R
//	pgpeer batch  --dsn DSN --n N --rounds R     join of a table of N points with microgrids
//	pgpeer oracle --dsn DSN --url URL --truth FILE --random N --border N
//	pgpeer stats  --dsn DSN --dir DIR --n N --rounds R   incident figures by layer: stats.Ledger vs a GROUP BY spatial join
//
// Every figure is printed as one JSON object per line on stdout.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gridmap/gridmap/internal/gridtest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: pgpeer load|points|single|batch|oracle|stats [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet("pgpeer "+os.Args[1], flag.ExitOnError)
	jiangyin, truthCSV := jiangyinDir(), ""
	if jiangyin != "" {
		truthCSV = filepath.Join(jiangyin, "points.csv")
	}
	dsn := fs.String("dsn", "postgres://postgres@127.0.0.1:55432/bench?sslmode=disable", "PostgreSQL connection string (loopback)")
	dir := fs.String("dir", jiangyin, "load, stats: directory of the layers (default: jiangyin of ../shared/data beside the repository)")
	n := fs.Int("n", 65536, "points: number of points; batch: rows of the points table; stats: incidents")
	out := fs.String("out", "", "points: output CSV")
	points := fs.String("points", "", "single: CSV id,lon,lat of the query points")
	conns := fs.Int("conns", 1, "single: connections, one goroutine each")
	dur := fs.Duration("duration", 5*time.Second, "single: length of one round")
	rounds := fs.Int("rounds", 3, "single, batch, stats: rounds; medians are reported")
	url := fs.String("url", "http://127.0.0.1:8080/api/v1/lookup", "oracle: gridmap lookup endpoint (batch CSV POST)")
	truth := fs.String("truth", truthCSV, "oracle: CSV id,lon,lat,kind,owners of held-out points")
	random := fs.Int("random", 20000, "oracle: random points inside the county's bounding box")
	border := fs.Int("border", 20000, "oracle: points on shared vertices and edges of the micro grids")
	seed := fs.Int64("seed", 4242, "seed of random points")
	fs.Parse(os.Args[2:])
	ctx := context.Background()
	var err error
	switch os.Args[1] {
	case "load":
		err = load(ctx, *dsn, *dir)
	case "points":
		err = genPoints(ctx, *dsn, *n, *seed, *out)
	case "single":
		err = single(ctx, *dsn, *points, *conns, *dur, *rounds)
	case "batch":
		err = batch(ctx, *dsn, *n, *seed, *rounds)
	case "stats":
		err = statsPeer(ctx, *dsn, *dir, *n, *seed, *rounds)
	case "oracle":
		err = oracle(ctx, *dsn, *url, *truth, *random, *border, *seed)
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgpeer:", err)
		os.Exit(1)
	}
}

// jiangyinDir returns the Jiangyin layers of the shared data beside the
// repository (../shared/data/jiangyin, found from the working directory),
// or "" when there is none.
func jiangyinDir() string {
	if d := gridtest.SharedData(); d != "" {
		return filepath.Join(d, "jiangyin")
	}
	return ""
}

// emit prints one result as a JSON line.
func emit(v map[string]any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}
