// Command province measures gridmap's point index over a synthetic province
// of N Jiangyins (package synth, built in memory) and over one Jiangyin, in
// the same run: index build time, index memory (heap growth across NewIndex,
// after GC, and RSS), bytes per vertex, and the median time of one lookup of
// the finest layer plus its whole chain (AppendChains) over random points
// inside the copies, next to the plain approach (R-tree of bounding boxes +
// orb/planar contains). It also reports the finest layer's Locate alone, the
// latency of single lookups each timed on its own (percentiles, with the
// clock's own cost beside them), the same lookups batched through
// AppendChainsMany, and how much memory huge pages back.
//
//	go run ./bench/province --copies 100 [--src DIR]
package main

import (
	"flag"
	"fmt"
	"github.com/gridmap/gridmap/internal/gridtest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"encoding/json"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/synth"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
)

func main() {
	copies := flag.Int("copies", 100, "copies of the county")
	src := flag.String("src", "", "source county (default: jiangyin of the shared data beside the repository, ../shared/data)")
	rounds := flag.Int("rounds", 15, "timed rounds of lookups; the median is reported")
	per := flag.Int("per", 200000, "lookups per round")
	plain := flag.Bool("plain", true, "also time the plain approach")
	flag.Parse()
	if *src == "" {
		if *src = gridtest.SharedData(); *src == "" {
			fail(fmt.Errorf("no ../shared/data beside the repository: give --src"))
		}
		*src = filepath.Join(*src, "jiangyin")
	}
	s, err := synth.ReadSource(*src)
	if err != nil {
		fail(err)
	}
	for _, n := range []int{1, *copies} {
		measure(s, n, *rounds, *per, *plain)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "province:", err)
	os.Exit(1)
}

func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// anonHugeKB returns the process's memory backed by transparent huge pages.
func anonHugeKB() int {
	b, _ := os.ReadFile("/proc/self/smaps_rollup")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "AnonHugePages:") {
			f := strings.Fields(l)
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}

func rssKB() int {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}

func measure(s *synth.Source, n, rounds, per int, plain bool) {
	t0 := time.Now()
	d, err := s.Dataset(n, 0)
	if err != nil {
		fail(err)
	}
	dataDur := time.Since(t0)
	h0, rss0 := heap(), rssKB()
	t1 := time.Now()
	x, err := index.NewIndex(d)
	if err != nil {
		fail(err)
	}
	buildDur := time.Since(t1)
	h1, rss1 := heap(), rssKB()
	verts, grids := 0, 0
	for _, l := range d.Layers {
		for _, g := range l.Grids {
			grids++
			for _, p := range g.Geom {
				for _, r := range p {
					verts += len(r)
				}
			}
		}
	}
	micro := -1
	for i, l := range d.Layers {
		if l.Name == "microgrids" {
			micro = i
		}
	}
	pts := insidePoints(x, micro, s, n, 1<<16)
	hits := make([]index.Hit, 0, 16)
	// each round times the three ways one after another, so that the
	// machine's changing load falls on all three alike
	const block = 1024
	mhits := make([]index.Hit, 0, 8*block)
	ends := make([]int, block)
	var ns, mns, lns []float64
	for r := 0; r <= rounds; r++ { // round 0 warms up
		// one call per point
		t := time.Now()
		for i := 0; i < per; i++ {
			p := pts[i&(len(pts)-1)]
			hits = x.AppendChains(hits[:0], p[0], p[1])
		}
		d1 := time.Since(t)
		// the same lookups through AppendChainsMany, 1,024 points per call
		t = time.Now()
		for i := 0; i < per; i += block {
			o := i & (len(pts) - 1)
			k := min(block, per-i, len(pts)-o)
			mhits = x.AppendChainsMany(mhits[:0], ends[:k], pts[o:o+k])
		}
		d2 := time.Since(t)
		// the finest layer alone
		t = time.Now()
		sink := 0
		for i := 0; i < per; i++ {
			p := pts[i&(len(pts)-1)]
			sink += x.Locate(micro, p[0], p[1])
		}
		d3 := time.Since(t)
		if sink == 0 {
			fail(fmt.Errorf("no micro grid found"))
		}
		if r > 0 {
			ns = append(ns, float64(d1.Nanoseconds())/float64(per))
			mns = append(mns, float64(d2.Nanoseconds())/float64(per))
			lns = append(lns, float64(d3.Nanoseconds())/float64(per))
		}
	}
	// the latency of single lookups, each timed on its own (the clock's
	// own cost, measured alike, is reported beside it and not subtracted)
	lat := make([]float64, 0, per)
	clk := make([]float64, 0, per)
	for i := 0; i < per; i++ {
		p := pts[(i*7919)&(len(pts)-1)]
		t := time.Now()
		hits = x.AppendChains(hits[:0], p[0], p[1])
		lat = append(lat, float64(time.Since(t).Nanoseconds()))
		t = time.Now()
		clk = append(clk, float64(time.Since(t).Nanoseconds()))
	}
	sort.Float64s(lat)
	sort.Float64s(clk)
	q := func(v []float64, f float64) float64 { return v[int(f*float64(len(v)-1))] }
	var allocs float64
	{
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		for i := 0; i < per; i++ {
			p := pts[i&(len(pts)-1)]
			hits = x.AppendChains(hits[:0], p[0], p[1])
		}
		runtime.ReadMemStats(&b)
		allocs = float64(b.Mallocs-a.Mallocs) / float64(per)
	}
	out := map[string]any{
		"copies": n, "grids": grids, "microgrids": len(d.Layers[micro].Grids), "vertices": verts,
		"dataset_s": dataDur.Seconds(), "index_build_s": buildDur.Seconds(),
		"index_heap_mb": float64(int64(h1)-int64(h0)) / 1e6,
		"index_mb":      float64(x.Bytes()) / 1e6, "index_bytes_per_vertex": float64(x.Bytes()) / float64(verts),
		"rss_before_index_mb": float64(rss0) / 1e3, "rss_after_index_mb": float64(rss1) / 1e3, "anon_huge_mb": float64(anonHugeKB()) / 1e3,
		"lookup_ns_median": median(ns), "lookup_ns_min": ns0(ns, 0), "lookup_ns_max": ns0(ns, 1), "allocs_per_lookup": allocs,
		"locate_ns_median": median(lns), "many_ns_median": median(mns), "many_ns_min": ns0(mns, 0), "many_ns_max": ns0(mns, 1),
		"single_ns_p50": q(lat, 0.5), "single_ns_p90": q(lat, 0.9), "single_ns_p99": q(lat, 0.99), "clock_ns_p50": q(clk, 0.5),
		"chain_len": len(hits), "rounds": rounds, "per_round": per,
	}
	if plain {
		pns := plainTimes(d, micro, pts, rounds, per/10)
		out["plain_ns_median"] = median(pns)
		out["plain_over_index"] = median(pns) / median(ns)
	}
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
	debug.FreeOSMemory()
}

// insidePoints returns seeded random points inside the micro grids of
// random copies.
func insidePoints(x *index.Index, micro int, s *synth.Source, n, k int) []orb.Point {
	lat := s.NewLattice(n, 0)
	b := s.Bound
	rng := gridtest.Rand(20261125)
	next := rng.Float64
	var out []orb.Point
	for len(out) < k {
		c := 1 + int(next()*float64(n))
		dx, dy := lat.Offset(c)
		p := orb.Point{b.Min[0] + dx + next()*(b.Max[0]-b.Min[0]), b.Min[1] + dy + next()*(b.Max[1]-b.Min[1])}
		if x.Locate(micro, p[0], p[1]) >= 0 {
			out = append(out, p)
		}
	}
	return out
}

// plainTimes times an R-tree of the micro grids' bounding boxes followed by
// orb/planar's contains, on the same points (finest layer only, no chain).
func plainTimes(d *geo.Dataset, micro int, pts []orb.Point, rounds, per int) []float64 {
	var tr rtree.RTreeG[*geo.Grid]
	for _, g := range d.Layers[micro].Grids {
		gb := g.Bound()
		tr.Insert(gb.Min, gb.Max, g)
	}
	found := 0
	var ns []float64
	for r := 0; r <= rounds; r++ {
		t := time.Now()
		for i := 0; i < per; i++ {
			p := pts[i&(len(pts)-1)]
			tr.Search(p, p, func(_, _ [2]float64, g *geo.Grid) bool {
				if planar.MultiPolygonContains(g.Geom, p) {
					found++
					return false
				}
				return true
			})
		}
		if r > 0 {
			ns = append(ns, float64(time.Since(t).Nanoseconds())/float64(per))
		}
	}
	if found == 0 {
		fail(fmt.Errorf("plain approach found nothing"))
	}
	return ns
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ns0(v []float64, max int) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if max == 1 {
		return s[len(s)-1]
	}
	return s[0]
}
