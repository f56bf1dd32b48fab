// Command wall measures the incidents wall with a year of incidents
// loaded (issue 17: "first paint and a level switch each ≤ 1 s in headless
// chromium"): it builds gridmap, serves the bundled Jiangyin sample in a
// temporary data directory, imports --n synthetic incidents (package
// synth's generator through incident.Service.ImportCSV, as gridmap
// incidents import does), and opens the wall in
// headless Chromium --rounds times. Each round reads the page's own marks
// (window.gridmapMarks, static/js/marks.js): firstPaint, from navigation
// to the first view drawn with its grids coloured by incident count, and
// levelSwitch, from a level switch to its colours drawn, for every layer.
// It prints each round and the medians; the server's own time for the
// stats query behind a switch is printed beside them.
//
//	go run ./bench/wall --n 1000000 --rounds 5
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"time"
)

func main() {
	n := flag.Int("n", 1000000, "synthetic incidents to import (0: only those of the sample)")
	rounds := flag.Int("rounds", 5, "page loads measured")
	chromium := flag.String("chromium", "/usr/bin/chromium", "Chromium binary")
	width := flag.Int("width", 1920, "viewport width, CSS pixels")
	height := flag.Int("height", 1080, "viewport height, CSS pixels")
	keep := flag.Bool("keep", false, "keep the temporary directory (binary and data)")
	timeline := flag.Bool("timeline", false, "print each round's requests until its first paint (start and end, ms since navigation) and its JavaScript profile")
	reuse := flag.String("data", "", "data directory to use and keep: seeded and loaded with --n incidents when it has no incident store yet, else served as it is")
	flag.Parse()
	log.SetFlags(0)

	dir, err := os.MkdirTemp("", "gridmap-wall-")
	if err != nil {
		log.Fatal(err)
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	ctx := context.Background()
	srv, err := prepare(ctx, dir, *reuse, *n)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.stop()

	m, err := measure(ctx, srv, *chromium, *width, *height, *rounds, *timeline)
	if err != nil {
		log.Fatal(err)
	}
	report(m)
}

// prepare builds gridmap into dir, seeds a data directory (data, else
// one in dir) with the sample and n synthetic incidents unless it has an
// incident store already, and serves it.
func prepare(ctx context.Context, dir, data string, n int) (*server, error) {
	bin, err := build(ctx, dir)
	if err != nil {
		return nil, err
	}
	if data == "" {
		data = filepath.Join(dir, "data")
	}
	if _, err := os.Stat(filepath.Join(data, "incidents.db")); err == nil {
		n = 0 // loaded by an earlier run
	} else if err := seed(ctx, bin, data, n); err != nil {
		return nil, err
	}
	t0 := time.Now()
	srv, err := serve(ctx, bin, data)
	if err != nil {
		return nil, err
	}
	total, err := srv.waitIncidents(ctx, n)
	if err != nil {
		srv.stop()
		return nil, err
	}
	log.Printf("serving %d incidents at %s (ready in %s)", total, srv.base, time.Since(t0).Round(time.Millisecond))
	return srv, nil
}

// seed serves the fresh data dir once (it imports the sample) and imports
// n synthetic incidents into it.
func seed(ctx context.Context, bin, data string, n int) error {
	first, err := serve(ctx, bin, data)
	if err != nil {
		return err
	}
	first.stop()
	if n > 0 {
		t0 := time.Now()
		res, err := load(ctx, data, n)
		if err != nil {
			return err
		}
		log.Printf("imported %d of %d synthetic incidents (%d skipped) in %s",
			res.Stored, res.Rows, res.Skipped, time.Since(t0).Round(time.Millisecond))
	}
	return nil
}

// report prints the medians of the measurements.
func report(m measurements) {
	fmt.Printf("incidents %d, viewport %s, %d rounds\n", m.incidents, m.viewport, len(m.firstPaint))
	fmt.Printf("first paint ms: %v  median %d  (tiles drawn %v, figures applied %v)\n",
		m.firstPaint, median(m.firstPaint), m.tiles, m.figures)
	for _, l := range m.layers {
		fmt.Printf("level switch to %-11s ms: %v  median %d  (its stats request %v; from Go %v, median %d)\n",
			l, m.levelSwitch[l], median(m.levelSwitch[l]), m.levelFetch[l], m.statsMS[l], median(m.statsMS[l]))
	}
}

func median(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	s := append([]int(nil), xs...)
	sort.Ints(s)
	return s[len(s)/2]
}
