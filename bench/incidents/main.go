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
//	git worktree add /tmp/main-tree main && (cd /tmp/main-tree && go build -o /tmp/gridmap-main ./cmd/gridmap)
//	go run ./bench/incidents --rounds 5 --compare /tmp/gridmap-main
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sync"
	"time"

	"github.com/gridmap/gridmap/geo"
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
	old := flag.String("compare", "", "another gridmap binary (such as main's) served beside, on its own data and walls: each round also runs a report phase on it, the two alternating which goes first")
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
	newT, d, err := serveTarget(ctx, "new", *bin, tmp+"/data", *profile != "", *nWalls)
	if err != nil {
		log.Fatal(err)
	}
	targets := []*target{newT}
	if *old != "" {
		oldT, _, err := serveTarget(ctx, "old", *old, tmp+"/data-old", false, *nWalls)
		if err != nil {
			log.Fatal(err)
		}
		targets = append(targets, oldT)
	}
	defer func() {
		cancel()
		for _, t := range targets {
			_ = t.cmd.Wait()
		}
	}()
	perPhase := int(*rate * float64(*secs))
	gen, err := synth.NewIncidents(d, synth.IncidentOptions{Seed: *seed, N: (len(targets) + 1) * *rounds * perPhase,
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
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *workers, MaxConnsPerHost: *workers}, Timeout: 30 * time.Second}
	fmt.Printf("%d server(s), %d wall clients each, %d workers, %.0f requests/s for %d s a phase, %d rounds\n", len(targets), *nWalls, *workers, *rate, *secs, *rounds)
	var lookups []*result
	for r := range *rounds {
		steps := []*target{nil} // nil: the lookup phase, on the new server
		for i := range targets {
			steps = append(steps, targets[(i+r)%len(targets)])
		}
		if r%2 == 1 {
			slices.Reverse(steps)
		}
		for _, t := range steps {
			p := phase{kind: "incident", rate: *rate, dur: time.Duration(*secs) * time.Second, workers: *workers}
			if t == nil {
				p.kind = "lookup"
				lookups = append(lookups, p.measure(ctx, client, newT, next))
				fmt.Printf("round %d %s\n", r+1, lookups[len(lookups)-1])
			} else {
				if t == newT && *profile != "" && r == 0 {
					go func() {
						if err := profileServer(ctx, t.admin, *profile, p.dur); err != nil {
							log.Print(err)
						}
					}()
				}
				res := p.measure(ctx, client, t, next)
				res.missingClients, res.missingEvents = t.walls.waitAll(res.created, 10*time.Second)
				t.reports = append(t.reports, res)
				fmt.Printf("round %d %s %s; walls: %d created, %d clients missing %d events, %d reconnects so far\n",
					r+1, t.name, res, len(res.created), res.missingClients, res.missingEvents, t.walls.reconnects())
			}
			time.Sleep(2 * time.Second)
		}
	}
	lp50, lp99, lrate, _ := medians(lookups)
	for _, t := range targets {
		rp50, rp99, rrate, cpu := medians(t.reports)
		fmt.Printf("%s: median of %d rounds, reports: %.0f/s, p50 %.2f ms, p99 %.2f ms, server CPU %.0f µs a report\n",
			t.name, *rounds, rrate, ms(rp50), ms(rp99), cpu)
		if t == newT {
			fmt.Printf("median of %d rounds, lookups: %.0f/s, p50 %.2f ms, p99 %.2f ms\n", *rounds, lrate, ms(lp50), ms(lp99))
			fmt.Printf("ratio report/lookup: p50 %.2f, p99 %.2f (the issue's bar: ≥ 2,000 reports/s, p99 ≤ 50 ms)\n",
				float64(rp50)/float64(lp50), float64(rp99)/float64(lp99))
		}
	}
	if len(targets) == 2 {
		_, n99, _, ncpu := medians(targets[0].reports)
		_, o99, _, ocpu := medians(targets[1].reports)
		fmt.Printf("new/old: server CPU a report %.2f, p99 %.2f\n", ncpu/ocpu, float64(n99)/float64(o99))
	}
}

// target is one served gridmap with its wall clients and report phases.
type target struct {
	name, base, admin string
	cmd               *exec.Cmd
	walls             walls
	reports           []*result
}

// serveTarget imports the sample into data with bin, serves it (with a
// pprof admin address when profiled) and connects nWalls wall clients.
func serveTarget(ctx context.Context, name, bin, data string, profiled bool, nWalls int) (*target, *geo.Dataset, error) {
	d, err := loadSample(ctx, bin, data)
	if err != nil {
		return nil, nil, err
	}
	t := &target{name: name}
	var extra []string
	if profiled {
		if t.admin, err = freeAddr(); err != nil {
			return nil, nil, err
		}
		extra = []string{"--admin-addr", t.admin, "--debug-pprof"}
	}
	if t.base, t.cmd, err = startServer(ctx, bin, data, token, extra); err != nil {
		return nil, nil, err
	}
	t.walls = connectWalls(ctx, t.base, nWalls)
	return t, d, nil
}

// measure runs p against t and records the server's CPU time over it.
func (p phase) measure(ctx context.Context, client *http.Client, t *target, next func() *synth.Incident) *result {
	before, err := serverCPU(ctx, t.base)
	res := p.run(ctx, client, t.base, token, next)
	after, err2 := serverCPU(ctx, t.base)
	if err = errors.Join(err, err2); err != nil {
		log.Print(err)
	} else {
		res.cpu = after - before
	}
	return res
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

// medians returns the median p50, p99, achieved rate and server CPU
// microseconds a request of the phases.
func medians(rs []*result) (p50, p99 time.Duration, rate, cpuMicros float64) {
	var a, b []time.Duration
	var c, u []float64
	for _, r := range rs {
		a, b, c = append(a, r.p50), append(b, r.p99), append(c, r.achievedPerSec)
		u = append(u, r.cpuMicros())
	}
	slices.Sort(a)
	slices.Sort(b)
	slices.Sort(c)
	slices.Sort(u)
	if len(a) == 0 {
		return 0, 0, 0, 0
	}
	return a[len(a)/2], b[len(b)/2], c[len(c)/2], u[len(u)/2]
}
