// Command pubindex measures what a replica's start spends where, and the
// published point index (issue 19) against a built one, on the active
// version of a data directory: the store's load (decode and SHA-256 of
// layers.bin), index.NewIndex, the index file's write, its load copied
// into huge-page memory and mapped, tiles.NewSource and lookup.NewEncoder;
// then single lookups (AppendChains over random points inside the finest
// layer) on the built, copied and mapped indexes, alternated round by
// round, medians and ratios; resident memory after each step and the
// index's size per vertex.
//
//	go run ./bench/pubindex --data DIR [--rounds 9] [--per 200000] [--tiles=false] [--build=false]
//	go run ./bench/pubindex --data FLATDIR --gob GOBDIR [--rounds 9] [--build=false]
//
// With --gob, it compares the store's load of one version from a flat
// layers file (FLATDIR) and a gob one (GOBDIR), alternated, and lookups
// over each dataset on the mapped index (and a built one).
//
// The data directory is left with its version's index.bin written.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/bigmem"
	"github.com/gridmap/gridmap/lookup"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/version"
	"github.com/paulmach/orb"
)

func main() {
	data := flag.String("data", "", "data directory with an active version (required)")
	rounds := flag.Int("rounds", 9, "alternated rounds of lookups; medians are reported")
	per := flag.Int("per", 200000, "lookups per round and index")
	withTiles := flag.Bool("tiles", true, "also time tiles.NewSource")
	build := flag.Bool("build", true, "build the index (else compare the copied and mapped ones, the file being there)")
	gobDir := flag.String("gob", "", "a data directory holding the same version as --data with a gob layers file: compare the two loads, then lookups over each (--build: and a built index)")
	flag.Parse()
	if *data == "" {
		fail(fmt.Errorf("--data is required"))
	}
	if *gobDir != "" {
		if err := compareLayers(*data, *gobDir, *rounds, *per, *build); err != nil {
			fail(err)
		}
		return
	}
	if err := run(*data, *rounds, *per, *withTiles, *build); err != nil {
		fail(err)
	}
}

// fileExists reports whether a file is at path.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pubindex:", err)
	os.Exit(1)
}

// step times f and prints its time and the resident memory after it.
func step(name string, f func() error) {
	start := time.Now()
	if err := f(); err != nil {
		fail(fmt.Errorf("%s: %w", name, err))
	}
	fmt.Printf("%-34s %8.3f s   RSS %6.0f MB\n", name, time.Since(start).Seconds(), rssMB())
}

func run(dir string, rounds, per int, withTiles, build bool) error {
	ctx := context.Background()
	// the key gridmap serve gives, so that a server started on dir
	// afterwards maps the index file written here instead of building again
	v, err := openVersion(ctx, dir)
	if err != nil {
		return err
	}
	st, id, path, key := v.st, v.id, v.indexPath, v.key
	var d *geo.Dataset
	var built, copied, mapped *index.Index
	fmt.Printf("version %s of %s, GOMAXPROCS %d\n", id, dir, runtime.GOMAXPROCS(0))
	step("store load (decode + SHA-256)", func() (err error) { d, _, err = st.Load(ctx, id); return err })
	if build {
		step("index.NewIndex", func() (err error) { built, err = index.NewIndex(d); debug.FreeOSMemory(); return err })
		step("index file written (Encode)", func() error {
			return st.WriteFile(id, version.IndexFile, func(w io.Writer) error { _, err := built.Encode(w, key); return err })
		})
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	// mapped first: as a server's start, it finds the file as the write
	// left it in the page cache (or not)
	step("index file mapped (MAP_POPULATE)", func() (err error) { mapped, err = version.LoadIndexFile(path, d, key, version.IndexMap); return err })
	step("index file read (copy, huge pages)", func() (err error) { copied, err = version.LoadIndexFile(path, d, key, version.IndexCopy); return err })
	if tp, err := st.FilePath(id, version.TilesFile); err == nil && fileExists(tp) {
		step("tiles archive mapped (CRC checked)", func() error {
			b, _, err := bigmem.MapFile(tp)
			if err == nil {
				_, err = tiles.OpenArchive(b)
			}
			return err
		})
	}
	if withTiles {
		step("tiles.NewSource", func() error { _, err := tiles.NewSource(d, tiles.Options{}); return err })
	}
	if build {
		step("lookup.NewEncoder", func() error { lookup.NewEncoder(built, id); return nil })
	}
	vertices := 0
	for _, l := range d.Layers {
		vertices += l.Vertices()
	}
	fmt.Printf("index %.1f MB in memory, file %.1f MB, %.1f bytes a vertex (%d vertices); AnonHugePages %d MB, FilePmdMapped %d MB\n",
		float64(copied.Bytes())/1e6, float64(fi.Size())/1e6, float64(fi.Size())/float64(vertices), vertices, smapsKB("AnonHugePages:")/1024, smapsKB("FilePmdMapped:")/1024)
	if build {
		compare(d, []*index.Index{built, copied, mapped}, []string{"built", "copied", "mapped"}, rounds, per)
	} else {
		compare(d, []*index.Index{copied, mapped}, []string{"copied", "mapped"}, rounds, per)
	}
	runtime.KeepAlive(built)
	runtime.KeepAlive(copied)
	runtime.KeepAlive(mapped)
	return nil
}

// compare times AppendChains on each index over the same random points
// inside the finest layer, the indexes alternated round by round (their
// order rotating), and prints each one's median ns a lookup and its ratio
// to the first's.
func compare(d *geo.Dataset, xs []*index.Index, names []string, rounds, per int) {
	pts := inside(d, xs[0], per)
	times := make([][]float64, len(xs))
	var dst []index.Hit
	for r := 0; r < rounds; r++ {
		for k := range xs {
			i := (k + r) % len(xs)
			start := time.Now()
			for _, p := range pts {
				dst = xs[i].AppendChains(dst[:0], p[0], p[1])
			}
			times[i] = append(times[i], float64(time.Since(start).Nanoseconds())/float64(len(pts)))
		}
	}
	base := median(times[0])
	for i, name := range names {
		m := median(times[i])
		fmt.Printf("AppendChains %-7s median %7.1f ns (min %.1f, max %.1f) over %d rounds; speed vs %s %.3f\n",
			name, m, slices.Min(times[i]), slices.Max(times[i]), rounds, names[0], base/m)
	}
}

// inside returns n random points (seed 19) that the finest layer covers.
func inside(d *geo.Dataset, x *index.Index, n int) []orb.Point {
	leaf := d.Leaves()[0]
	li := d.LayerIndex(leaf.Name)
	b := leaf.Bound()
	rng := rand.New(rand.NewPCG(19, 19))
	out := make([]orb.Point, 0, n)
	for len(out) < n {
		p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		if x.Locate(li, p[0], p[1]) >= 0 {
			out = append(out, p)
		}
	}
	return out
}

func median(v []float64) float64 {
	s := sortedOf(v)
	return s[len(s)/2]
}

// sortedOf returns a sorted copy of v.
func sortedOf(v []float64) []float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s
}

// rssMB returns the process's resident memory in MB.
func rssMB() float64 { return float64(procKB("status", "VmRSS:")) / 1024 }

// smapsKB returns a kB field of /proc/self/smaps_rollup: AnonHugePages
// (anonymous memory on huge pages), FilePmdMapped (file pages mapped as
// huge pages).
func smapsKB(field string) int { return procKB("smaps_rollup", field) }

// procKB returns the kB field of /proc/self/FILE.
func procKB(file, field string) int {
	b, _ := os.ReadFile("/proc/self/" + file)
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, field) {
			n, _ := strconv.Atoi(strings.Fields(l)[1])
			return n
		}
	}
	return 0
}
