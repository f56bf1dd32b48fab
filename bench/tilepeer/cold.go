package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// coldOptions configure cold: every tile of zooms Min..Max over the data,
// once per peer and round, on Conns connections.
type coldOptions struct {
	dsn, data, bin string
	minZoom        int
	maxZoom        int
	conns, rounds  int
	port           int
	// log receives the servers' logs; nil discards them.
	log io.Writer
}

// zxy is one tile.
type zxy struct{ z, x, y int }

// cold measures cold tiles per second, alternating in each round: a fresh
// `gridmap serve` (bin) over data answering every tile once over HTTP on
// o.conns connections, and PostGIS ST_AsMVT (every layer gridmap shows at
// the tile's zoom, concatenated) on o.conns connections of prepared
// statements. It emits each round's tiles/s and start-up, then medians and
// their ratio.
func cold(o coldOptions) error {
	ctx := context.Background()
	src, _, err := activeSource(ctx, o.data)
	if err != nil {
		return err
	}
	var list []zxy
	shown := map[int][]string{}
	for z := o.minZoom; z <= o.maxZoom; z++ {
		for _, t := range src.TilesOver(z) {
			list = append(list, zxy{z, int(t.X), int(t.Y)})
		}
		for _, lz := range src.LayerZooms() {
			if z >= lz.MinZoom && z <= lz.MaxZoom {
				shown[z] = append(shown[z], lz.Name)
			}
		}
	}
	src = nil
	emit(map[string]any{"mode": "cold-setup", "zooms": fmt.Sprintf("%d-%d", o.minZoom, o.maxZoom), "tiles": len(list), "conns": o.conns})
	pg, err := newPGPeer(ctx, o, shown)
	if err != nil {
		return err
	}
	defer pg.close(ctx)
	rates := map[string][]float64{}
	for r := range o.rounds {
		peers := []string{"gridmap-archive", "postgis"}
		if r%2 == 1 {
			slices.Reverse(peers)
		}
		for _, p := range peers {
			var rate, ready float64
			if p == "postgis" {
				rate, err = pg.run(ctx, list)
			} else {
				rate, ready, err = serveRun(o, list)
			}
			if err != nil {
				return fmt.Errorf("round %d, %s: %w", r, p, err)
			}
			rates[p] = append(rates[p], rate)
			emit(map[string]any{"mode": "cold-round", "round": r, "peer": p, "tiles_per_s": rate, "ready_s": ready})
		}
	}
	med := map[string]float64{}
	for p, rs := range rates {
		rs = slices.Clone(rs)
		slices.Sort(rs)
		med[p] = rs[len(rs)/2]
		emit(map[string]any{"mode": "cold", "peer": p, "median_tiles_per_s": med[p], "min": rs[0], "max": rs[len(rs)-1], "rounds": len(rs)})
	}
	emit(map[string]any{"mode": "cold-ratio", "archive_over_postgis": med["gridmap-archive"] / med["postgis"]})
	return nil
}

// fanOut calls get for every tile of list on n goroutines and returns
// tiles per second.
func fanOut(list []zxy, n int, get func(worker int, t zxy) error) (float64, error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := time.Now()
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(len(list)); i = next.Add(1) - 1 {
				if err := get(w, list[i]); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	el := time.Since(start).Seconds()
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return float64(len(list)) / el, nil
}

// serveRun starts a fresh gridmap serve, waits for /readyz, GETs every
// tile once (gzip) on o.conns connections and stops the server. It
// returns tiles/s and the seconds to ready.
func serveRun(o coldOptions, list []zxy) (rate, ready float64, err error) {
	addr := fmt.Sprintf("127.0.0.1:%d", o.port)
	cmd := exec.Command(o.bin, "serve", "--data", o.data, "--addr", addr)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if o.log != nil {
		cmd.Stderr = o.log
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.conns, DisableCompression: true}}
	base := "http://" + addr
	for {
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Since(start) > 10*time.Minute {
			return 0, 0, fmt.Errorf("not ready after 10 minutes")
		}
		time.Sleep(5 * time.Millisecond)
	}
	ready = time.Since(start).Seconds()
	rate, err = fanOut(list, o.conns, func(_ int, t zxy) error { return getTile(client, base, t) })
	return rate, ready, err
}

// pgPeer holds o.conns connections with a prepared tile statement per
// zoom.
type pgPeer struct {
	conns []*pgx.Conn
	n     int
}

func newPGPeer(ctx context.Context, o coldOptions, shown map[int][]string) (*pgPeer, error) {
	p := &pgPeer{n: o.conns}
	var layers []string
	for _, ls := range shown {
		for _, l := range ls {
			if !slices.Contains(layers, l) {
				layers = append(layers, l)
			}
		}
	}
	for i := range o.conns {
		c, err := pgx.Connect(ctx, o.dsn)
		if err != nil {
			return nil, err
		}
		p.conns = append(p.conns, c)
		if i == 0 {
			if err := setupLayers(ctx, c, layers); err != nil {
				return nil, err
			}
		}
		cols, err := layerCols(ctx, c, layers)
		if err != nil {
			return nil, err
		}
		for z, ls := range shown {
			if _, err := c.Prepare(ctx, fmt.Sprintf("tile%d", z), allSQL(ls, cols)); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// run asks every tile of list once and returns tiles/s.
func (p *pgPeer) run(ctx context.Context, list []zxy) (float64, error) {
	return fanOut(list, p.n, func(w int, t zxy) error {
		var b []byte
		return p.conns[w].QueryRow(ctx, fmt.Sprintf("tile%d", t.z), t.z, t.x, t.y).Scan(&b)
	})
}

func (p *pgPeer) close(ctx context.Context) {
	for _, c := range p.conns {
		c.Close(ctx)
	}
}
