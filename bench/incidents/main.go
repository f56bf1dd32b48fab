// Command incidents measures incident writes under the load: it
// builds gridmap, imports the bundled Jiangyin sample into a fresh data
// directory, serves it (`gridmap serve`, rate limits off, the embedded
// incident store in the data directory), connects 50 wall clients to
// /api/v1/stream and then alternates, round by round, a phase of
// incident reports (POST /api/v1/incidents, each located, stored durably
// and pushed to every wall client) and a phase of plain single lookups
// (GET /api/v1/lookup, the floor a report builds on) at the same rate,
// open loop (latency from each request's due time, so a queued request
// counts its wait), each point drawn by package synth inside a known
// micro grid and checked against the answer's finest grid. After each
// report phase it waits for every wall client to have received every
// incident created. It prints each phase's p50/p99, the medians over the
// rounds and their ratio. The bar: ≥ 2,000 reports a second
// sustained with p99 ≤ 50 ms.
//
//	go run ./bench/incidents --rate 2000 --seconds 30 --rounds 3 --walls 50
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/gridmap/gridmap/synth"
)

const token = "bench-incidents-admin-token"

func main() {
	rate := flag.Float64("rate", 2000, "requests per second of each phase")
	secs := flag.Int("seconds", 30, "length of each phase")
	rounds := flag.Int("rounds", 3, "rounds of a report phase and a lookup phase, alternating which goes first")
	nWalls := flag.Int("walls", 50, "wall clients connected to /api/v1/stream")
	workers := flag.Int("workers", 32, "connections sending the requests")
	bin := flag.String("bin", "", "gridmap binary (default: built from ./cmd/gridmap into a temporary directory)")
	seed := flag.Uint64("seed", 1, "seed of the incidents' points, sources and categories")
	profile := flag.String("profile", "", "write a CPU profile of the server during the first report phase to this file (pprof on an admin address)")
	flag.Parse()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tmp, err := os.MkdirTemp("", "gridmap-bench-incidents-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	if *bin == "" {
		if *bin, err = buildBinary(ctx, tmp); err != nil {
			log.Fatal(err)
		}
	}
	data := tmp + "/data"
	d, err := loadSample(ctx, *bin, data)
	if err != nil {
		log.Fatal(err)
	}
	var extra []string
	admin := ""
	if *profile != "" {
		if admin, err = freeAddr(); err != nil {
			log.Fatal(err)
		}
		extra = []string{"--admin-addr", admin, "--debug-pprof"}
	}
	base, cmd, err := startServer(ctx, *bin, data, token, extra)
	if err != nil {
		log.Fatal(err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	perPhase := int(*rate * float64(*secs))
	gen, err := synth.NewIncidents(d, synth.IncidentOptions{Seed: *seed, N: 2 * *rounds * perPhase,
		RefPrefix: fmt.Sprintf("bench%d-", time.Now().Unix())})
	if err != nil {
		log.Fatal(err)
	}
	var genMu sync.Mutex
	next := func() *synth.Incident {
		genMu.Lock()
		defer genMu.Unlock()
		inc, _ := gen.Next()
		return &inc
	}
	ws := connectWalls(ctx, base, *nWalls)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *workers, MaxConnsPerHost: *workers}, Timeout: 30 * time.Second}
	fmt.Printf("server %s, %d wall clients, %d workers, %.0f requests/s for %d s a phase, %d rounds\n", base, len(ws), *workers, *rate, *secs, *rounds)
	var reports, lookups []*result
	for r := range *rounds {
		kinds := []string{"incident", "lookup"}
		if r%2 == 1 {
			kinds[0], kinds[1] = kinds[1], kinds[0]
		}
		for _, k := range kinds {
			if k == "incident" && *profile != "" && r == 0 {
				go func() {
					if err := profileServer(ctx, admin, *profile, time.Duration(*secs)*time.Second); err != nil {
						log.Print(err)
					}
				}()
			}
			res := phase{kind: k, rate: *rate, dur: time.Duration(*secs) * time.Second, workers: *workers}.run(ctx, client, base, token, next)
			if k == "incident" {
				res.missingClients, res.missingEvents = ws.waitAll(res.created, 10*time.Second)
				reports = append(reports, res)
				fmt.Printf("round %d %s; walls: %d created, %d clients missing %d events, %d reconnects so far\n",
					r+1, res, len(res.created), res.missingClients, res.missingEvents, ws.reconnects())
			} else {
				lookups = append(lookups, res)
				fmt.Printf("round %d %s\n", r+1, res)
			}
			time.Sleep(2 * time.Second)
		}
	}
	rp50, rp99, rrate := medians(reports)
	lp50, lp99, lrate := medians(lookups)
	fmt.Printf("median of %d rounds, reports: %.0f/s, p50 %.2f ms, p99 %.2f ms\n", *rounds, rrate, ms(rp50), ms(rp99))
	fmt.Printf("median of %d rounds, lookups: %.0f/s, p50 %.2f ms, p99 %.2f ms\n", *rounds, lrate, ms(lp50), ms(lp99))
	fmt.Printf("ratio report/lookup: p50 %.2f, p99 %.2f (the issue's bar: ≥ 2,000 reports/s, p99 ≤ 50 ms)\n",
		float64(rp50)/float64(lp50), float64(rp99)/float64(lp99))
}

// connectWalls starts n wall clients and waits a moment for them to
// connect.
func connectWalls(ctx context.Context, base string, n int) walls {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: n}}
	ws := make(walls, n)
	for i := range ws {
		ws[i] = &wall{base: base, token: token}
		go ws[i].run(ctx, client)
	}
	time.Sleep(time.Second)
	return ws
}

// medians returns the median p50, p99 and achieved rate of the phases.
func medians(rs []*result) (p50, p99 time.Duration, rate float64) {
	var a, b []time.Duration
	var c []float64
	for _, r := range rs {
		a, b, c = append(a, r.p50), append(b, r.p99), append(c, r.achievedPerSec)
	}
	sort.Slice(a, func(i, j int) bool { return a[i] < a[j] })
	sort.Slice(b, func(i, j int) bool { return b[i] < b[j] })
	sort.Float64s(c)
	if len(a) == 0 {
		return 0, 0, 0
	}
	return a[len(a)/2], b[len(b)/2], c[len(c)/2]
}
