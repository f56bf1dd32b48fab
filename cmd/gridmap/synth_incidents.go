package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/gridmap/gridmap/synth"
)

// runSynthIncidents writes a year (by default) of synthetic incidents over
// a data dir's active version as the historical incidents CSV, or posts
// them live to a running server.
func runSynthIncidents(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("synth incidents", stderr)
	data := fs.String("data", defaultData, "data directory whose active version the incidents fall in")
	storeURL := storeFlag(fs)
	n := fs.Int("n", 100000, "number of incidents")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and data give the same incidents")
	from := fs.String("from", "", "first report time, RFC 3339 or YYYY-MM-DD (default: a year before --to)")
	to := fs.String("to", "", "end of the report times, RFC 3339 or YYYY-MM-DD (default: now)")
	closure := fs.Float64("closure", synth.SeedClosureRate, "share of incidents closed")
	out := fs.String("out", "-", "CSV file to write (-: stdout)")
	post := fs.String("post", "", "instead of CSV, POST new incidents to the server at this base URL (http://HOST:PORT)")
	rate := fs.Float64("rate", 20, "with --post: incidents per second")
	key := fs.String("key", os.Getenv("GRIDMAP_KEY"), "with --post: API key or admin token (role reporter or above; default $GRIDMAP_KEY)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: gridmap synth incidents [--data DIR] [--n N] [--seed S] [--from T] [--to T] [--out FILE]
       gridmap synth incidents [--data DIR] --post URL [--rate N] [--key K] [--n N]
Writes synthetic incidents over the active version's finest grids as the
historical incidents CSV (gridmap incidents import reads it), or posts them
live to a server (the wall's demo feed; 429 and 503 are retried with backoff).`)
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *n < 0 || (*post != "" && *rate <= 0) {
		fs.Usage()
		return fmt.Errorf("%w: want no arguments, --n ≥ 0 and --rate > 0", errUsage)
	}
	o := synth.IncidentOptions{Seed: *seed, N: *n, Closure: *closure}
	if o.From, err = parseTimeFlag("from", *from); err != nil {
		return err
	}
	if o.To, err = parseTimeFlag("to", *to); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	d, _, err := loadActive(ctx, place{*data, *storeURL})
	if err != nil {
		return err
	}
	if *post != "" {
		// report times spread over the last hour: only their rhythm and
		// occurred_at offsets are used
		now := time.Now()
		o.From, o.To, o.RefPrefix = now.Add(-time.Hour), now, fmt.Sprintf("live%d-", now.Unix())
		g, err := synth.NewIncidents(d, o)
		if err != nil {
			return fmt.Errorf("%w: %w", errUsage, err)
		}
		f := newFeed(*post, *key, *rate, stdout)
		return f.run(ctx, g)
	}
	g, err := synth.NewIncidents(d, o)
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	return writeFileOrStdout(*out, stdout, func(w io.Writer) error {
		start := time.Now()
		rows, err := synth.WriteIncidentsCSV(ctx, w, g)
		if err == nil {
			fmt.Fprintf(stderr, "wrote %d incidents in %v\n", rows, time.Since(start).Round(time.Millisecond))
		}
		return err
	})
}

// runSynthStaff writes a synthetic roster of the active version's grids.
func runSynthStaff(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("synth staff", stderr)
	data := fs.String("data", defaultData, "data directory whose active version's grids get staff")
	storeURL := storeFlag(fs)
	seed := fs.Uint64("seed", 1, "random seed: the same seed and data give the same roster")
	out := fs.String("out", "-", "CSV file to write (-: stdout)")
	planName := fs.String("plan", "jiangyin", "posts per layer: jiangyin (1+1+3 per micro grid) or jinjiang (a 楼栋长 in half the buildings, 网格长 and 专职网格员 per grid)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: gridmap synth staff [--data DIR] [--seed S] [--plan jiangyin|jinjiang] [--out FILE]
Writes a synthetic staff roster (jiangyin: Jiangyin's 1+1+3 in each micro
grid, a full-time grid worker in most grids, leaders and supervisors
above; jinjiang: a building head in half the buildings, a leader and a
full-time worker per grid) as the staff CSV (gridmap staff import reads
it). Names and phones are made up.`)
		fs.PrintDefaults()
	}
	if _, err := parsePositional(fs, args, 0, "no arguments"); err != nil {
		return err
	}
	plan, ok := synth.StaffPlans[*planName]
	if !ok {
		return fmt.Errorf("%w: --plan %q: want jiangyin or jinjiang", errUsage, *planName)
	}
	ctx := context.Background()
	d, _, err := loadActive(ctx, place{*data, *storeURL})
	if err != nil {
		return err
	}
	return writeFileOrStdout(*out, stdout, func(w io.Writer) error {
		n, err := synth.WriteStaffCSV(ctx, w, d, plan, *seed)
		if err == nil {
			fmt.Fprintf(stderr, "wrote %d people\n", n)
		}
		return err
	})
}

// parseTimeFlag reads a time flag, RFC 3339 or a date (midnight, China
// Standard Time); "" is the zero time.
func parseTimeFlag(name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, synth.China)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: --%s %q: want RFC 3339 or YYYY-MM-DD", errUsage, name, s)
	}
	return t, nil
}

// writeFileOrStdout calls write with a buffered writer on file path, or on
// stdout when path is "-", and flushes and closes it.
func writeFileOrStdout(path string, stdout io.Writer, write func(io.Writer) error) error {
	w := stdout
	var f *os.File
	if path != "-" {
		var err error
		if f, err = os.Create(path); err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if f != nil {
		return f.Close()
	}
	return nil
}
