package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Run is one measurement of one target.
type Run struct {
	Target   string         `json:"target"`
	Round    int            `json:"round"`
	Requests int            `json:"requests"`
	Errors   int            `json:"errors"`
	ErrorSet map[string]int `json:"error_list,omitempty"`
	Seconds  float64        `json:"seconds"`
	RPS      float64        `json:"rps"`
	P50us    float64        `json:"p50_us"`
	P90us    float64        `json:"p90_us"`
	P99us    float64        `json:"p99_us"`
	Maxus    float64        `json:"max_us"`
	// ServerCPUus is the server process's CPU time (user and system) per
	// request during the run, when its process is known (--pid).
	ServerCPUus float64 `json:"server_cpu_us,omitempty"`
}

func newRun(name string, lat []int64, elapsed time.Duration, errs map[string]int) Run {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r := Run{Target: name, Requests: len(lat), Seconds: elapsed.Seconds(), ErrorSet: errs}
	for _, v := range errs {
		r.Errors += v
	}
	if len(errs) == 0 {
		r.ErrorSet = nil
	}
	if len(lat) > 0 {
		q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / 1e3 }
		r.P50us, r.P90us, r.P99us, r.Maxus = q(0.5), q(0.9), q(0.99), float64(lat[len(lat)-1])/1e3
		r.RPS = float64(len(lat)) / elapsed.Seconds()
	}
	return r
}

func (r Run) line() string {
	s := fmt.Sprintf("%-8s round %d: %8.0f req/s  p50 %7.1f µs  p90 %7.1f µs  p99 %7.1f µs  max %8.1f µs  %d requests, %d errors",
		r.Target, r.Round, r.RPS, r.P50us, r.P90us, r.P99us, r.Maxus, r.Requests, r.Errors)
	for k, v := range r.ErrorSet {
		s += fmt.Sprintf("\n    %6d × %s", v, k)
	}
	return s
}

// Summary is the median over rounds of one target, with the spread.
type Summary struct {
	Target string     `json:"target"`
	RPS    float64    `json:"rps_median"`
	RPSMin float64    `json:"rps_min"`
	RPSMax float64    `json:"rps_max"`
	P50us  float64    `json:"p50_us_median"`
	P90us  float64    `json:"p90_us_median"`
	P99us  float64    `json:"p99_us_median"`
	Maxus  float64    `json:"max_us"`
	Errors int        `json:"errors"`
	Spread [2]float64 `json:"p50_us_spread"`
	// ServerCPUus is the median of the runs' server CPU time per request.
	ServerCPUus float64 `json:"server_cpu_us_median,omitempty"`
}

// Report is the outcome of single-lookup load.
type Report struct {
	Mode      string    `json:"mode"`
	URL       string    `json:"url"`
	Conns     int       `json:"conns"`
	Points    int       `json:"points"`
	Rounds    int       `json:"rounds"`
	Runs      []Run     `json:"runs"`
	Summaries []Summary `json:"summaries"`
	// RatioRPS is gridmap's throughput over the bare handler's, the median
	// of the per-round ratios (rounds alternate the two).
	RatioRPS float64 `json:"ratio_rps,omitempty"`
	// RatioP50 is gridmap's median latency over the bare handler's.
	RatioP50 float64 `json:"ratio_p50,omitempty"`
	// RatioCPU is gridmap's server CPU time per request over the bare
	// handler's, the median of the per-round ratios (--pid).
	RatioCPU float64 `json:"ratio_server_cpu,omitempty"`
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

func (rep *Report) summarize() {
	byTarget := map[string][]Run{}
	var order []string
	for _, r := range rep.Runs {
		if _, ok := byTarget[r.Target]; !ok {
			order = append(order, r.Target)
		}
		byTarget[r.Target] = append(byTarget[r.Target], r)
	}
	for _, t := range order {
		runs := byTarget[t]
		var rps, p50, p90, p99, cpu []float64
		s := Summary{Target: t}
		for _, r := range runs {
			rps, p50, p90, p99 = append(rps, r.RPS), append(p50, r.P50us), append(p90, r.P90us), append(p99, r.P99us)
			if r.ServerCPUus > 0 {
				cpu = append(cpu, r.ServerCPUus)
			}
			s.Errors += r.Errors
			if r.Maxus > s.Maxus {
				s.Maxus = r.Maxus
			}
		}
		sort.Float64s(rps)
		sort.Float64s(p50)
		s.RPS, s.RPSMin, s.RPSMax = median(rps), rps[0], rps[len(rps)-1]
		s.P50us, s.P90us, s.P99us = median(p50), median(p90), median(p99)
		s.Spread = [2]float64{p50[0], p50[len(p50)-1]}
		s.ServerCPUus = median(cpu)
		rep.Summaries = append(rep.Summaries, s)
	}
	gm, bare := byTarget["gridmap"], byTarget["bare"]
	if len(gm) > 0 && len(gm) == len(bare) {
		var rr, rl, rc []float64
		for i := range gm {
			if bare[i].RPS > 0 && bare[i].P50us > 0 {
				rr = append(rr, gm[i].RPS/bare[i].RPS)
				rl = append(rl, gm[i].P50us/bare[i].P50us)
			}
			if gm[i].ServerCPUus > 0 && bare[i].ServerCPUus > 0 {
				rc = append(rc, gm[i].ServerCPUus/bare[i].ServerCPUus)
			}
		}
		rep.RatioRPS, rep.RatioP50, rep.RatioCPU = median(rr), median(rl), median(rc)
	}
}

func (rep *Report) write(w io.Writer, asJSON bool) error {
	if asJSON {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(rep)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %d conns, %d points, %d rounds: medians over rounds\n", rep.URL, rep.Conns, rep.Points, rep.Rounds)
	for _, s := range rep.Summaries {
		fmt.Fprintf(&b, "  %-8s %8.0f req/s (%.0f–%.0f)  p50 %6.1f µs (%.1f–%.1f)  p90 %6.1f  p99 %6.1f  max %8.1f µs  errors %d\n",
			s.Target, s.RPS, s.RPSMin, s.RPSMax, s.P50us, s.Spread[0], s.Spread[1], s.P90us, s.P99us, s.Maxus, s.Errors)
	}
	if rep.RatioRPS > 0 {
		fmt.Fprintf(&b, "  gridmap/bare: throughput %.3f, median latency %.3f (medians of per-round ratios)\n", rep.RatioRPS, rep.RatioP50)
	}
	if rep.RatioCPU > 0 {
		fmt.Fprintf(&b, "  server CPU per request:")
		for _, s := range rep.Summaries {
			fmt.Fprintf(&b, " %s %.1f µs", s.Target, s.ServerCPUus)
		}
		fmt.Fprintf(&b, "; gridmap/bare %.3f\n", rep.RatioCPU)
	}
	for _, r := range rep.Runs {
		for k, v := range r.ErrorSet {
			fmt.Fprintf(&b, "  error: %s round %d: %d × %s\n", r.Target, r.Round, v, k)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
