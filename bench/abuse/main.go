// Command abuse measures what abusive clients do to the others: it serves a
// data directory (the bundled Jiangyin sample when it is empty) on loopback
// with the server's default limits (but max_upload_bytes, a flag), and runs
// rounds of normal single lookups alone and beside slowloris clients
// (connections trickling a header, and batch bodies trickling a byte at a
// time) and an oversized-upload client (batch bodies and imports of 2 GiB
// that say so in their Content-Length; with --capped-batches, also gzip
// batches that decompress to 2 GiB and chunked plain batch bodies of
// 2 GiB, both cut at max_batch_points, and chunked imports cut at
// max_upload_bytes), alternating which phase goes first. It prints each
// phase's p50/p99, their medians over the rounds and what the attackers
// got back. The bar: p99 under attack within 2× of p99 alone.
//
//	go run ./bench/abuse --seconds 10 --rounds 5 [--capped-batches=false]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/sample"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/version"
)

const token = "abuse-admin-token"

func main() {
	data := flag.String("data", "", "data directory (default: a temporary one, with the bundled sample, removed at the end)")
	secs := flag.Int("seconds", 10, "length of each phase")
	workers := flag.Int("workers", 2, "normal lookup clients, one request at a time each")
	headers := flag.Int("slow-headers", 500, "slowloris connections trickling a request header")
	bodies := flag.Int("slow-bodies", 16, "slowloris connections trickling a batch body (each holds one of the heavy_concurrency slots)")
	rounds := flag.Int("rounds", 5, "rounds of a phase alone and a phase under attack, alternating which goes first")
	capped := flag.Bool("capped-batches", true, "the oversized client also sends batches it may send: a gzip bomb and a chunked plain body, each cut at max_batch_points (2 M points, about 2 s of a core)")
	uploadMiB := flag.Int64("max-upload-mib", 128, "the server's limits.max_upload_bytes, in MiB (each oversized import writes this much to the uploads directory before it is cut)")
	attackURL := flag.String("attack", "", "run as the attackers of the server at this URL (the child process of --attacker-process)")
	attackFor := flag.Duration("attack-for", 0, "with --attack: how long to attack")
	separate := flag.Bool("attacker-process", false, "run the attackers in a process of their own, pinned to the last core with taskset (the server and the measuring clients to the others)")
	flag.Parse()
	if *attackURL != "" {
		attack{base: *attackURL, headers: *headers, bodies: *bodies, capped: *capped}.attackFor(*attackFor)
		return
	}
	if *separate {
		pinServer()
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if *data == "" {
		dir, err := os.MkdirTemp("", "gridmap-abuse-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		*data = dir
	}
	cat, err := openCatalog(ctx, *data)
	if err != nil {
		log.Fatal(err)
	}
	srv, err := server.New(ctx, server.Options{Versions: cat, Auth: server.AuthOptions{AdminToken: token},
		Limits: server.LimitOptions{MaxUploadBytes: *uploadMiB << 20}})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go srv.Serve(ctx, ln)
	base := "http://" + ln.Addr().String()
	d := time.Duration(*secs) * time.Second
	atk := attack{base: base, headers: *headers, bodies: *bodies, capped: *capped, separate: *separate}
	var alone, under []latency
	stats := &attackStats{}
	for r := 0; r < *rounds; r++ {
		first, second := false, true // under attack second, or first on odd rounds
		if r%2 == 1 {
			first, second = true, false
		}
		for _, attacked := range []bool{first, second} {
			if !attacked {
				alone = append(alone, measure(base, *workers, d))
				fmt.Printf("round %d alone:        %s\n", r+1, alone[len(alone)-1])
				continue
			}
			under = append(under, atk.measure(ctx, *workers, d, stats))
			fmt.Printf("round %d under attack: %s\n", r+1, under[len(under)-1])
		}
	}
	a, u := medians(alone), medians(under)
	fmt.Printf("median of %d rounds alone:        p50 %v, p99 %v\n", *rounds, a.p50, a.p99)
	fmt.Printf("median of %d rounds under attack: p50 %v, p99 %v\n", *rounds, u.p50, u.p99)
	fmt.Printf("p99 ratio (under attack / alone, of the medians): %.2f (the issue's bar: ≤ 2)\n", float64(u.p99)/float64(a.p99))
	fmt.Printf("attackers: %s\n", stats)
}

// attack is what the attackers of one phase send (startSlowloris,
// startOversized).
type attack struct {
	base            string
	headers, bodies int
	capped          bool
	separate        bool // in a child process (process.go)
}

// measure runs the normal lookups of one phase under attack: the attack
// starts, builds up for 2 s, the lookups run for d; then the attack stops
// and the server is given 2 s to finish what the attackers left.
func (a attack) measure(ctx context.Context, workers int, d time.Duration, stats *attackStats) latency {
	if a.separate {
		cmd, err := a.attackProcess(d + 2*time.Second)
		if err != nil {
			log.Fatal(err)
		}
		time.Sleep(2 * time.Second)
		l := measure(a.base, workers, d)
		if err := cmd.Wait(); err != nil {
			log.Fatal(err)
		}
		time.Sleep(2 * time.Second)
		return l
	}
	actx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	startSlowloris(actx, &wg, a.base, a.headers, a.bodies, stats)
	startOversized(actx, &wg, a.base, a.capped, stats)
	time.Sleep(2 * time.Second)
	l := measure(a.base, workers, d)
	stop()
	wg.Wait()
	time.Sleep(2 * time.Second)
	return l
}

// medians returns the median p50 and p99 of the phases ls.
func medians(ls []latency) latency {
	var p50, p99 []time.Duration
	for _, l := range ls {
		p50, p99 = append(p50, l.p50), append(p99, l.p99)
	}
	return latency{p50: median(p50), p99: median(p99)}
}

// median returns the median of ds (the mean of the middle two of an even
// count), 0 of none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	if n := len(ds); n%2 == 0 {
		return (ds[n/2-1] + ds[n/2]) / 2
	}
	return ds[len(ds)/2]
}

// openCatalog opens the catalog of dir, importing the bundled sample when
// it holds no version.
func openCatalog(ctx context.Context, dir string) (*catalog.Catalog, error) {
	st, err := store.OpenDir(dir)
	if err != nil {
		return nil, err
	}
	cat, err := catalog.New(catalog.Options{Store: st})
	if err != nil {
		return nil, err
	}
	err = cat.Start(ctx)
	if !errors.Is(err, catalog.ErrEmpty) {
		return cat, err
	}
	layers := filepath.Join(dir, "sample")
	if err := os.MkdirAll(layers, 0o755); err != nil {
		return nil, err
	}
	paths, err := sample.Extract(layers)
	if err != nil {
		return nil, err
	}
	req := version.ImportRequest{Who: "abuse"}
	for _, p := range paths {
		req.Files = append(req.Files, version.File{Path: p})
	}
	if _, err := cat.Import(ctx, req); err != nil {
		return nil, fmt.Errorf("import the sample: %w", err)
	}
	return cat, nil
}

// latency is the summary of one phase's normal lookups.
type latency struct {
	n, failed     int
	p50, p99, max time.Duration
}

func (l latency) String() string {
	return fmt.Sprintf("%d lookups (%d failed), p50 %v, p99 %v, max %v", l.n, l.failed, l.p50, l.p99, l.max)
}

// measure runs workers clients of single lookups for d, each waiting for
// its answer before the next, and returns their latencies.
func measure(base string, workers int, d time.Duration) latency {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	var mu sync.Mutex
	var all []time.Duration
	failed := 0
	end := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for i := 0; time.Now().Before(end); i++ {
				lon, lat := 120.0+float64((i*7919+w)%6000)/10000, 31.7+float64((i*104729+w)%3000)/10000
				t0 := time.Now()
				resp, err := client.Get(fmt.Sprintf("%s/api/v1/lookup?lon=%.4f&lat=%.4f", base, lon, lat))
				if err == nil {
					_, err = drain(resp)
				}
				if err != nil || resp.StatusCode != 200 {
					bad++
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			all, failed = append(all, mine...), failed+bad
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	l := latency{n: len(all), failed: failed}
	if len(all) > 0 {
		l.p50, l.p99, l.max = all[len(all)/2], all[len(all)*99/100], all[len(all)-1]
	}
	return l
}

// attackStats counts what the attackers' requests got.
type attackStats struct {
	conns      atomic.Int64 // slowloris connections opened
	cut        atomic.Int64 // slowloris connections the server ended
	status     sync.Map     // "what status" → *atomic.Int64
	oversizeNs atomic.Int64 // its requests' total time
}

func (s *attackStats) count(what string, status int) {
	v, _ := s.status.LoadOrStore(fmt.Sprintf("%s %d", what, status), new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

func (s *attackStats) String() string {
	out := fmt.Sprintf("%d slowloris connections opened, %d ended by the server; oversized requests took %v;",
		s.conns.Load(), s.cut.Load(), time.Duration(s.oversizeNs.Load()).Round(time.Millisecond))
	s.status.Range(func(k, v any) bool {
		out += fmt.Sprintf(" %s ×%d;", k, v.(*atomic.Int64).Load())
		return true
	})
	return out
}
