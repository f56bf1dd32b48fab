// Command gmload is a load generator for a gridmap server on loopback.
//
//	gmload [flags]                     single GET lookups, --conns keep-alive connections
//	gmload --bare [flags]              the same, alternated in rounds with a bare net/http
//	                                   handler (a child process) that writes a fixed answer
//	                                   of the size of a gridmap answer: the HTTP ceiling
//	gmload --batch N [--format ndjson|csv]
//	                                   one streamed POST of N random points, points/s end to end
//
// It refuses any target that is not 127.0.0.0/8, ::1 or localhost. Points are
// random inside --bbox (lon, lat degrees, seeded) or read from --points, a CSV
// id,lon,lat. A run ends after --duration or --requests, whichever comes
// first. Non-2xx answers and transport errors count as errors and are listed.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// Config is one gmload run.
type Config struct {
	URL       string        // lookup endpoint, http://127.0.0.1:8080/api/v1/lookup
	Conns     int           // keep-alive connections, one goroutine each
	Duration  time.Duration // bound of one measurement (0: none)
	Requests  int           // bound of one measurement (0: none)
	Warmup    time.Duration // unmeasured requests before each measurement
	Points    string        // CSV id,lon,lat; empty: random in BBox
	BBox      [4]float64    // minlon, minlat, maxlon, maxlat
	NPoints   int           // random points to draw
	Seed      uint64        // of the random points
	Query     string        // extra query parameters, appended to every URL
	Bare      bool          // also measure the bare handler
	BareBody  string        // file holding a sample gridmap answer
	Rounds    int           // alternations of gridmap and bare
	Batch     int           // points of one batch POST (0: single lookups)
	Format    string        // ndjson or csv
	Length    bool          // send the batch with a Content-Length, not chunked
	JSON      bool          // report as JSON
	PID       int           // gridmap's process, whose CPU time per request is reported (0: not)
	ServeBare string        // internal: serve the bare handler on this address
}

// Validate checks c and fills defaults.
func (c *Config) Validate() error {
	if c.ServeBare != "" {
		return checkLoopback("http://" + c.ServeBare)
	}
	if c.Conns < 1 {
		return errors.New("--conns must be ≥ 1")
	}
	if c.Duration <= 0 && c.Requests <= 0 && c.Batch <= 0 {
		return errors.New("give --duration or --requests (or --batch)")
	}
	if c.Rounds < 1 {
		c.Rounds = 1
	}
	if c.Format != "ndjson" && c.Format != "csv" {
		return fmt.Errorf("--format %q: want ndjson or csv", c.Format)
	}
	return checkLoopback(c.URL)
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "gmload:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := flag.NewFlagSet("gmload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.URL, "url", "http://127.0.0.1:8080/api/v1/lookup", "lookup endpoint (loopback only)")
	fs.IntVar(&c.Conns, "conns", 1, "keep-alive connections, one goroutine each")
	fs.DurationVar(&c.Duration, "duration", 10*time.Second, "length of one measurement (0: bounded by --requests only)")
	fs.IntVar(&c.Requests, "requests", 0, "requests of one measurement (0: bounded by --duration only)")
	fs.IntVar(&c.PID, "pid", 0, "process id of the gridmap server: report its CPU time per request beside the bare handler's (Linux)")
	fs.DurationVar(&c.Warmup, "warmup", time.Second, "unmeasured load before each measurement")
	fs.StringVar(&c.Points, "points", "", "CSV file id,lon,lat (a header line is skipped); default random points in --bbox")
	bbox := fs.String("bbox", "119.97,31.69,120.62,31.98", "minlon,minlat,maxlon,maxlat of random points (default: Jiangyin)")
	fs.IntVar(&c.NPoints, "npoints", 65536, "number of random points (URLs) to cycle through")
	fs.Uint64Var(&c.Seed, "seed", 20261125, "seed of the random points")
	fs.StringVar(&c.Query, "query", "", "extra query parameters for every GET, e.g. layers=microgrids")
	fs.BoolVar(&c.Bare, "bare", false, "also measure a bare net/http handler (child process) in the same run")
	fs.StringVar(&c.BareBody, "bare-body", "", "file holding a sample gridmap answer; the bare handler writes one of its size (default: fetch one)")
	fs.IntVar(&c.Rounds, "rounds", 3, "with --bare: alternate gridmap and bare this many times; medians are reported")
	fs.IntVar(&c.Batch, "batch", 0, "POST one streamed batch of N random points instead of single GETs")
	fs.StringVar(&c.Format, "format", "ndjson", "batch format: ndjson or csv")
	fs.BoolVar(&c.Length, "content-length", false, "batch: send a Content-Length instead of a chunked body")
	fs.BoolVar(&c.JSON, "json", false, "report as JSON")
	fs.StringVar(&c.ServeBare, "serve-bare", "", "internal: serve the bare handler on HOST:PORT (body size from --bare-body)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if _, err := fmt.Sscanf(*bbox, "%g,%g,%g,%g", &c.BBox[0], &c.BBox[1], &c.BBox[2], &c.BBox[3]); err != nil {
		return fmt.Errorf("--bbox %q: want minlon,minlat,maxlon,maxlat: %w", *bbox, err)
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if c.ServeBare != "" {
		return serveBare(c.ServeBare, c.BareBody, stdout)
	}
	if c.Batch > 0 {
		r, err := runBatch(&c)
		if err != nil {
			return err
		}
		return r.write(stdout, c.JSON)
	}
	return runSingle(&c, stdout, stderr)
}
