package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/gridmap/gridmap/synth"
)

// phase is one timed run of requests at a fixed rate.
type phase struct {
	kind    string // "lookup" or "incident"
	rate    float64
	dur     time.Duration
	workers int
}

// result is what one phase measured: latencies from each request's due
// time (open loop: a request that waits for a free worker counts its
// wait), failures, wrong grids, and the ids of the incidents created.
type result struct {
	kind            string
	lat             []time.Duration
	failed, wrong   int
	elapsed         time.Duration
	created         []uint64
	missingClients  int
	missingEvents   int
	p50, p99, pmax  time.Duration
	achievedPerSec  float64
	firstFailStatus string
	cpu             time.Duration // the server's CPU time over the phase
}

// cpuMicros is the server's CPU microseconds a request of the phase.
func (r *result) cpuMicros() float64 {
	if len(r.lat) == 0 {
		return 0
	}
	return float64(r.cpu.Microseconds()) / float64(len(r.lat))
}

func (r *result) summarise() {
	sort.Slice(r.lat, func(i, j int) bool { return r.lat[i] < r.lat[j] })
	if n := len(r.lat); n > 0 {
		r.p50, r.p99, r.pmax = r.lat[n/2], r.lat[min(n-1, n*99/100)], r.lat[n-1]
	}
	r.achievedPerSec = float64(len(r.lat)-r.failed) / r.elapsed.Seconds()
}

func (r *result) String() string {
	s := fmt.Sprintf("%-8s %6d requests %7.0f/s ok, p50 %6.2f ms, p99 %6.2f ms, max %6.1f ms, server CPU %4.0f µs each, %d failed, %d wrong grid",
		r.kind, len(r.lat), r.achievedPerSec, ms(r.p50), ms(r.p99), ms(r.pmax), r.cpuMicros(), r.failed, r.wrong)
	if r.firstFailStatus != "" {
		s += " (first failure: " + r.firstFailStatus + ")"
	}
	return s
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

type job struct {
	due time.Time
	inc *synth.Incident
}

// run sends p's requests for the incidents next gives, p.rate a second
// for p.dur, from p.workers connections.
func (p phase) run(ctx context.Context, client *http.Client, base, token string, next func() *synth.Incident) *result {
	jobs := make(chan job, int(p.rate*p.dur.Seconds())+1)
	res := &result{kind: p.kind}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range p.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				id, wrong, status, err := p.send(ctx, client, base, token, j.inc)
				took := time.Since(j.due)
				mu.Lock()
				res.lat = append(res.lat, took)
				switch {
				case err != nil:
					res.failed++
					if res.firstFailStatus == "" {
						res.firstFailStatus = status + ": " + err.Error()
					}
				case wrong:
					res.wrong++
				}
				if id > 0 {
					res.created = append(res.created, id)
				}
				mu.Unlock()
			}
		}()
	}
	start := time.Now()
	every := time.Duration(float64(time.Second) / p.rate)
	n := int(p.rate * p.dur.Seconds())
	for i := range n {
		due := start.Add(time.Duration(i) * every)
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		jobs <- job{due: due, inc: next()}
	}
	close(jobs)
	wg.Wait()
	res.elapsed = time.Since(start)
	res.summarise()
	return res
}

// answer is the part of a 201 or a lookup the bench checks.
type answer struct {
	ID    uint64 `json:"id"`
	Chain []struct {
		Code string `json:"code"`
	} `json:"chain"`
}

// send makes one request; it returns the created incident's id (0 for a
// lookup), whether the answer's finest grid is not the point's true grid,
// and for anything but the expected status an error and what failed.
func (p phase) send(ctx context.Context, client *http.Client, base, token string, inc *synth.Incident) (id uint64, wrong bool, status string, err error) {
	var req *http.Request
	want := http.StatusOK
	if p.kind == "incident" {
		want = http.StatusCreated
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/incidents", bytes.NewReader(inc.ReportJSON(time.Now())))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
		}
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/lookup?lon="+
			strconv.FormatFloat(inc.Lon, 'f', -1, 64)+"&lat="+strconv.FormatFloat(inc.Lat, 'f', -1, 64), nil)
	}
	if err != nil {
		return 0, false, "request", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, false, "transport", err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, false, "body", err
	}
	if resp.StatusCode != want {
		return 0, false, strconv.Itoa(resp.StatusCode), fmt.Errorf("%.200s", body)
	}
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return 0, false, "json", err
	}
	return a.ID, len(a.Chain) == 0 || a.Chain[0].Code != inc.Grid, "", nil
}
