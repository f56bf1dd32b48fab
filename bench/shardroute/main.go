// Command shardroute measures what the shard router (gridmap route) costs:
// the two-shard Jiangyin deployment of internal/shardsim as processes on
// loopback, single GETs of points inside the east shard sent straight to
// that shard, through the router, and to one gridmap holding both shards
// (the union), alternated round by round in the same run; then batches of
// points over both shards through the router against the union. Medians
// over rounds are reported, with the router's ratio to the direct figure.
//
//	go run ./bench/shardroute [--rounds 9] [--requests 3000] [--batch 100000]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/gridmap/gridmap/internal/shardsim"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

func main() {
	rounds := flag.Int("rounds", 9, "alternated rounds")
	requests := flag.Int("requests", 3000, "single GETs per target and round (1 connection)")
	batch := flag.Int("batch", 100000, "points of one NDJSON batch")
	flag.Parse()
	dir, err := os.MkdirTemp("", "shardroute-")
	check(err)
	defer os.RemoveAll(dir)
	d, err := shardsim.Deploy(dir, 0, true)
	check(err)
	defer d.Stop()
	rng := rand.New(rand.NewPCG(19, 19))
	east := inside(rng, d.Split.East, 4096)
	all := inside(rng, append(slices.Clone(d.Split.West), d.Split.East...), *batch)
	body := ndjson(all)

	targets := []struct{ name, url string }{{"direct", d.East.URL}, {"router", d.Router.URL}, {"union", d.Union.URL}}
	single := map[string][]float64{}
	batches := map[string][]float64{}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	for r := range *rounds {
		for _, t := range targets {
			single[t.name] = append(single[t.name], p50(client, t.url, east, *requests, r))
		}
		for _, t := range targets[1:] {
			batches[t.name] = append(batches[t.name], post(client, t.url, body, len(all)))
		}
	}
	fmt.Printf("single GET, 1 connection, %d rounds of %d, median of per-round p50 (µs):\n", *rounds, *requests)
	for _, t := range targets {
		fmt.Printf("  %-7s %8.1f (%.1f–%.1f)\n", t.name, median(single[t.name]), slices.Min(single[t.name]), slices.Max(single[t.name]))
	}
	fmt.Printf("  router / direct %.2f×, router − direct %.1f µs\n", median(single["router"])/median(single["direct"]), median(single["router"])-median(single["direct"]))
	fmt.Printf("NDJSON batch of %d points over both shards, median points/s:\n", len(all))
	for _, t := range targets[1:] {
		fmt.Printf("  %-7s %10.0f (%.0f–%.0f)\n", t.name, median(batches[t.name]), slices.Min(batches[t.name]), slices.Max(batches[t.name]))
	}
	fmt.Printf("  router / union %.2f\n", median(batches["router"])/median(batches["union"]))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "shardroute:", err)
		os.Exit(1)
	}
}

// inside returns n seeded random points inside the towns.
func inside(rng *rand.Rand, towns []*geojson.Feature, n int) []orb.Point {
	b := towns[0].Geometry.Bound()
	for _, f := range towns {
		b = b.Union(f.Geometry.Bound())
	}
	out := make([]orb.Point, 0, n)
	for len(out) < n {
		p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		for _, f := range towns {
			if f.Geometry.Bound().Contains(p) && contains(f.Geometry, p) {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

func contains(g orb.Geometry, p orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return planar.PolygonContains(g, p)
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(g, p)
	}
	return false
}

// p50 sends n single GETs one after another and returns their median
// latency in µs.
func p50(c *http.Client, base string, pts []orb.Point, n, round int) float64 {
	lat := make([]float64, 0, n)
	for i := range n {
		p := pts[(i+round*n)%len(pts)]
		t0 := time.Now()
		drain(c.Get(fmt.Sprintf("%s/api/v1/lookup?lon=%v&lat=%v", base, p[0], p[1])))
		lat = append(lat, float64(time.Since(t0).Nanoseconds())/1e3)
	}
	return median(lat)
}

// post sends one batch and returns points per second.
func post(c *http.Client, base string, body []byte, n int) float64 {
	t0 := time.Now()
	drain(c.Post(base+"/api/v1/lookup", "application/x-ndjson", bytes.NewReader(body)))
	return float64(n) / time.Since(t0).Seconds()
}

// drain reads an answer whole; anything but a 200 ends the run.
func drain(resp *http.Response, err error) {
	check(err)
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	check(err)
	if resp.StatusCode != http.StatusOK {
		check(fmt.Errorf("%s: %s", resp.Request.URL, resp.Status))
	}
}

func ndjson(pts []orb.Point) []byte {
	var b bytes.Buffer
	for i, p := range pts {
		fmt.Fprintf(&b, `{"id":%d,"lon":%v,"lat":%v}`+"\n", i, p[0], p[1])
	}
	return b.Bytes()
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
