// Command tilepeer times PostGIS ST_AsMVT as the peer of gridmap's uncached
// z14 vector tiles, in the same process and the same run, over the same
// Jiangyin data. It is a benchmark helper, run by bench/tilepeer.sh.
//
//	tilepeer --dsn DSN --data DIR [--zoom 14] [--rounds 5] [--url http://127.0.0.1:PORT]
//
// DIR is a gridmap data directory (gridmap import); its active version is
// loaded as the server loads it and tiled with tiles.NewSource. The tiles are
// every z14 tile over the data whose gridmap tile is not empty.
//
// PostGIS side: microgrids.geom3857 (ST_Transform of geom, its own GiST
// index, made by --setup), one prepared statement per tile:
//
//	SELECT ST_AsMVT(q, 'microgrids', 4096, 'geom') FROM (
//	  SELECT code, name, parent, ST_AsMVTGeom(geom3857, ST_TileEnvelope(z,x,y), 4096, 64, true) AS geom
//	  FROM microgrids WHERE geom3857 && ST_TileEnvelope(z,x,y, margin => 64/4096)) q
//
// A second PostGIS statement concatenates the same query for every layer
// gridmap shows at the zoom (a gridmap tile holds them all, plus a label
// layer PostGIS has no peer for), each over its own geom3857 and GiST index.
//
// gridmap side, per tile: Source.Tile (render + MVT encode of every layer shown
// at z14 and the label layer, no cache exists at this level) and
// Cache{MaxBytes: -1}.Tile (render + gzip, what a cache miss costs the
// server); with --url also GET /tiles/z/x/y.mvt over HTTP against a freshly
// started gridmap serve: the first GET of each tile is a cache miss of the
// server, the second a hit.
//
// Each round times every tile once with each peer, alternating which goes
// first. Figures: the median over all (tile, round) samples, the min–max of the
// per-round medians, and the median of per-tile ratios PostGIS / gridmap. One
// JSON object per line on stdout.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/tiles"
	"github.com/jackc/pgx/v5"
)

// setupSQL adds a geometry column in EPSG:3857 with its own GiST index to a
// layer's table.
func setupSQL(l string) string {
	return `ALTER TABLE ` + l + ` ADD COLUMN IF NOT EXISTS geom3857 geometry(MultiPolygon, 3857);
UPDATE ` + l + ` SET geom3857 = ST_Transform(geom, 3857);
CREATE INDEX IF NOT EXISTS ` + l + `_gist3857 ON ` + l + ` USING gist (geom3857);
VACUUM ANALYZE ` + l
}

// layerSQL is one layer of a tile: ST_AsMVT over ST_AsMVTGeom (extent 4096,
// buffer 64, clipped) of the rows whose 3857 box meets the buffered tile.
// cols are the attribute columns carried (code, name, and parent where the
// layer has one, as gridmap's tiles carry them).
func layerSQL(l, cols string) string {
	return `SELECT ST_AsMVT(q, '` + l + `', 4096, 'geom') FROM (
  SELECT ` + cols + `, ST_AsMVTGeom(geom3857, ST_TileEnvelope($1::int, $2::int, $3::int), 4096, 64, true) AS geom
  FROM ` + l + `
  WHERE geom3857 && ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0/4096)) q`
}

// allSQL concatenates the layers gridmap shows at the zoom (MVT layers
// concatenate), the fairer peer of a gridmap tile, which holds them all.
func allSQL(layers []string, cols map[string]string) string {
	var parts []string
	for _, l := range layers {
		parts = append(parts, "COALESCE(("+layerSQL(l, cols[l])+"), ''::bytea)")
	}
	return "SELECT " + strings.Join(parts, " || ")
}

func main() {
	dsn := flag.String("dsn", "postgres://postgres@127.0.0.1:55433/bench?sslmode=disable", "PostgreSQL (loopback)")
	data := flag.String("data", "", "gridmap data directory (its active version is tiled)")
	zoom := flag.Int("zoom", 14, "zoom of the tiles")
	rounds := flag.Int("rounds", 5, "rounds over every tile")
	setup := flag.Bool("setup", true, "add geom3857 with its GiST index to the layers' tables first")
	all := flag.Bool("all-layers", true, "also time PostGIS with every layer gridmap shows at the zoom (tables must exist)")
	url := flag.String("url", "", "gridmap server base URL (http://127.0.0.1:PORT): also time the first GET of each tile")
	var co coldOptions
	flag.StringVar(&co.bin, "cold-bin", "", "cold mode: gridmap binary started afresh each round (serve --data DATA) against PostGIS on --conns connections")
	flag.IntVar(&co.minZoom, "cold-minzoom", 10, "cold mode: first zoom")
	flag.IntVar(&co.maxZoom, "cold-maxzoom", 15, "cold mode: last zoom")
	flag.IntVar(&co.conns, "conns", 8, "cold mode: connections of each peer")
	flag.IntVar(&co.port, "port", 18497, "cold mode: port of the fresh servers")
	coldLog := flag.String("cold-log", "", "cold mode: file the servers' logs are appended to (default: discarded)")
	flag.Parse()
	if *coldLog != "" {
		f, err := os.OpenFile(*coldLog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintln(os.Stderr, "tilepeer:", err)
			os.Exit(1)
		}
		defer f.Close()
		co.log = f
	}
	if co.bin != "" {
		co.dsn, co.data, co.rounds = *dsn, *data, *rounds
		if err := cold(co); err != nil {
			fmt.Fprintln(os.Stderr, "tilepeer:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*dsn, *data, *zoom, *rounds, *setup, *all, *url); err != nil {
		fmt.Fprintln(os.Stderr, "tilepeer:", err)
		os.Exit(1)
	}
}

func emit(v map[string]any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

type tile struct{ x, y int }

func run(dsn, data string, z, rounds int, setup, all bool, url string) error {
	ctx := context.Background()
	src, newSource, err := activeSource(ctx, data)
	if err != nil {
		return err
	}

	// Tiles: every tile of zoom z over the data that gridmap does not leave
	// empty. The first call also times a fresh Source's first tile of the
	// zoom (its per-zoom simplification).
	var list []tile
	var first time.Duration
	for _, tl := range src.TilesOver(z) {
		t := time.Now()
		raw, err := src.Tile(z, int(tl.X), int(tl.Y))
		if err != nil {
			return err
		}
		if len(raw) > 0 {
			if list == nil {
				first = time.Since(t)
			}
			list = append(list, tile{int(tl.X), int(tl.Y)})
		}
	}
	var shown []string
	for _, lz := range src.LayerZooms() {
		if z >= lz.MinZoom && z <= lz.MaxZoom {
			shown = append(shown, lz.Name)
		}
	}
	if !all {
		shown = []string{"microgrids"}
	}
	emit(map[string]any{"mode": "setup", "layers_at_zoom": shown, "zoom": z, "tiles": len(list), "new_source_ms": ms(newSource), "first_nonempty_tile_fresh_source_ms": ms(first), "gomaxprocs": runtime.GOMAXPROCS(0)})

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if setup {
		t := time.Now()
		if err := setupLayers(ctx, conn, shown); err != nil {
			return err
		}
		emit(map[string]any{"mode": "pg-setup", "seconds": time.Since(t).Seconds()})
	}
	cols, err := layerCols(ctx, conn, shown)
	if err != nil {
		return err
	}
	cols["microgrids"] = "code, name, parent"
	if _, err := conn.Prepare(ctx, "tile", layerSQL("microgrids", cols["microgrids"])); err != nil {
		return err
	}
	if _, err := conn.Prepare(ctx, "tile-all", allSQL(shown, cols)); err != nil {
		return err
	}
	pgTile := func(t tile) ([]byte, error) {
		var b []byte
		err := conn.QueryRow(ctx, "tile", z, t.x, t.y).Scan(&b)
		return b, err
	}
	pgAll := func(t tile) ([]byte, error) {
		var b []byte
		err := conn.QueryRow(ctx, "tile-all", z, t.x, t.y).Scan(&b)
		return b, err
	}
	cache := tiles.NewCache(src, tiles.CacheOptions{MaxBytes: -1})
	client := &http.Client{}

	// Warm-up: one pass of each, sizes recorded.
	var pgBytes, gmBytes, pgEmpty, allBytes int
	for _, t := range list {
		a, err := pgAll(t)
		if err != nil {
			return fmt.Errorf("postgis all layers %d/%d/%d: %w", z, t.x, t.y, err)
		}
		allBytes += len(a)
		b, err := pgTile(t)
		if err != nil {
			return fmt.Errorf("postgis tile %d/%d/%d: %w", z, t.x, t.y, err)
		}
		if len(b) == 0 {
			pgEmpty++
		}
		pgBytes += len(b)
		raw, _ := src.Tile(z, t.x, t.y)
		gmBytes += len(raw)
	}
	emit(map[string]any{"mode": "sizes", "tiles": len(list), "postgis_bytes": pgBytes, "postgis_empty": pgEmpty, "postgis_all_layers_bytes": allBytes, "gridmap_raw_bytes": gmBytes})

	n := len(list)
	peers := []string{"postgis", "postgis-all-layers", "gridmap-source", "gridmap-cache-miss"}
	samples := map[string][][]time.Duration{} // peer → tile → rounds
	for _, p := range peers {
		samples[p] = make([][]time.Duration, n)
	}
	roundMed := map[string][]float64{}
	for r := 0; r < rounds; r++ {
		order := peers
		if r%2 == 1 {
			order = []string{"gridmap-cache-miss", "gridmap-source", "postgis-all-layers", "postgis"}
		}
		for _, p := range order {
			var rd []time.Duration
			for i, t := range list {
				start := time.Now()
				var err error
				switch p {
				case "postgis":
					_, err = pgTile(t)
				case "postgis-all-layers":
					_, err = pgAll(t)
				case "gridmap-source":
					_, err = src.Tile(z, t.x, t.y)
				case "gridmap-cache-miss":
					_, err = cache.Tile(z, t.x, t.y)
				}
				el := time.Since(start)
				if err != nil {
					return fmt.Errorf("%s %d/%d/%d: %w", p, z, t.x, t.y, err)
				}
				samples[p][i] = append(samples[p][i], el)
				rd = append(rd, el)
			}
			roundMed[p] = append(roundMed[p], ms(median(rd)))
		}
	}
	med := map[string]float64{}
	for _, p := range peers {
		var all []time.Duration
		for _, s := range samples[p] {
			all = append(all, s...)
		}
		slices.Sort(all)
		med[p] = ms(median(all))
		rm := slices.Clone(roundMed[p])
		slices.Sort(rm)
		emit(map[string]any{"mode": "tile", "peer": p, "zoom": z, "tiles": n, "rounds": rounds,
			"median_ms": med[p], "p90_ms": ms(all[len(all)*9/10]), "max_ms": ms(all[len(all)-1]),
			"round_median_min_ms": rm[0], "round_median_max_ms": rm[len(rm)-1], "round_medians_ms": roundMed[p]})
	}
	for _, g := range []string{"gridmap-source", "gridmap-cache-miss"} {
		var ratios []float64
		for i := range list {
			ratios = append(ratios, float64(median(samples["postgis"][i]))/float64(median(samples[g][i])))
		}
		slices.Sort(ratios)
		emit(map[string]any{"mode": "ratio", "postgis_over": g, "ratio_of_medians": med["postgis"] / med[g],
			"per_tile_ratio_median": ratios[len(ratios)/2], "per_tile_ratio_min": ratios[0], "per_tile_ratio_p10": ratios[len(ratios)/10]})
		ratios = ratios[:0]
		for i := range list {
			ratios = append(ratios, float64(median(samples["postgis-all-layers"][i]))/float64(median(samples[g][i])))
		}
		slices.Sort(ratios)
		emit(map[string]any{"mode": "ratio", "postgis_all_layers_over": g, "ratio_of_medians": med["postgis-all-layers"] / med[g],
			"per_tile_ratio_median": ratios[len(ratios)/2], "per_tile_ratio_min": ratios[0], "per_tile_ratio_p10": ratios[len(ratios)/10]})
	}

	if url != "" {
		// First GET of each tile on the server: a cache miss there (the
		// server's cache starts empty for these tiles), then a second GET of
		// the same tile: a hit.
		var miss, hit []time.Duration
		for _, t := range list {
			for k := 0; k < 2; k++ {
				start := time.Now()
				if err := getTile(client, url, zxy{z, t.x, t.y}); err != nil {
					return err
				}
				el := time.Since(start)
				if k == 0 {
					miss = append(miss, el)
				} else {
					hit = append(hit, el)
				}
			}
		}
		slices.Sort(miss)
		slices.Sort(hit)
		emit(map[string]any{"mode": "http", "peer": "gridmap-serve", "tiles": n, "first_get_median_ms": ms(median(miss)),
			"first_get_p90_ms": ms(miss[len(miss)*9/10]), "second_get_median_ms": ms(median(hit)),
			"ratio_postgis_over_first_get": med["postgis"] / ms(median(miss))})
	}
	return nil
}

// activeSource loads the active version of the data directory and tiles
// it, returning how long tiles.NewSource took.
func activeSource(ctx context.Context, data string) (*tiles.Source, time.Duration, error) {
	st, err := store.OpenDir(data)
	if err != nil {
		return nil, 0, err
	}
	id, err := st.Active(ctx)
	if err != nil {
		return nil, 0, err
	}
	d, _, err := st.Load(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	t0 := time.Now()
	src, err := tiles.NewSource(d, tiles.Options{})
	return src, time.Since(t0), err
}

// setupLayers runs setupSQL for every layer.
func setupLayers(ctx context.Context, conn *pgx.Conn, layers []string) error {
	for _, l := range layers {
		for _, q := range strings.Split(setupSQL(l), ";") {
			if q = strings.TrimSpace(q); q == "" {
				continue
			}
			if _, err := conn.Exec(ctx, q); err != nil {
				return fmt.Errorf("setup: %s: %w", q, err)
			}
		}
	}
	return nil
}

// layerCols returns the attribute columns of each layer's table: code,
// name, and parent where the table has one.
func layerCols(ctx context.Context, conn *pgx.Conn, layers []string) (map[string]string, error) {
	cols := map[string]string{}
	for _, l := range layers {
		var has bool
		if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = 'parent')`, l).Scan(&has); err != nil {
			return nil, err
		}
		cols[l] = "code, name"
		if has {
			cols[l] += ", parent"
		}
	}
	return cols, nil
}

// getTile GETs tile t of the server at base (gzip accepted) and reads
// the whole answer; a status other than 200 is an error.
func getTile(client *http.Client, base string, t zxy) error {
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/tiles/%d/%d/%d.mvt", base, t.z, t.x, t.y), nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET tile %d/%d/%d: %s", t.z, t.x, t.y, resp.Status)
	}
	return nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
