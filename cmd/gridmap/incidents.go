package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/gridmap/gridmap/config"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/version"
)

// incidentsDB is the incident store's file in a data directory (as serve
// opens it).
const incidentsDB = "incidents.db"

// cliService is the incident service of a data directory for one CLI
// command: the active version's snapshot, the embedded store and the
// [incidents] and [staff] settings of the configuration.
type cliService struct {
	svc   *incident.Service
	store incident.Store
	data  string
}

// cliFlags registers the flags the incident and staff commands share.
func cliFlags(fs *flag.FlagSet) (data, cfgFile *string) {
	data = fs.String("data", "", "data directory (default: the configuration's data, "+defaultData+")")
	cfgFile = fs.String("config", "", "TOML configuration file whose [incidents] and [staff] apply (default $GRIDMAP_CONFIG)")
	return data, cfgFile
}

// openService opens the incident service of the data directory that data
// (or the configuration) names.
func openService(ctx context.Context, data, cfgFile string) (*cliService, error) {
	if cfgFile == "" {
		cfgFile = os.Getenv("GRIDMAP_CONFIG")
	}
	cfg, err := config.Load(config.Input{File: cfgFile, Environ: os.Environ()})
	if err != nil {
		return nil, configError(err)
	}
	if data != "" {
		cfg.Data = data
	}
	snap, err := indexSnapshot(ctx, placeOf(cfg))
	if err != nil {
		return nil, err
	}
	st, err := openIncidentStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	o := cliIncidentOptions(cfg)
	o.Store, o.Current = st, func() *version.Snapshot { return snap }
	svc, err := incident.New(ctx, o)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &cliService{svc: svc, store: st, data: cfg.Data}, nil
}

// indexSnapshot returns the active version of the store at at with its point
// index: the parts of a snapshot the incident service reads (Manifest,
// Data, Index), without the tile source and search a server builds.
func indexSnapshot(ctx context.Context, at place) (*version.Snapshot, error) {
	d, m, err := loadActive(ctx, at)
	if err != nil {
		return nil, err
	}
	idx, err := index.NewIndex(d)
	if err != nil {
		return nil, fmt.Errorf("index version %s: %w", m.ID, err)
	}
	return &version.Snapshot{Manifest: m, Data: d, Index: idx}, nil
}

// cliIncidentOptions maps the [incidents] and [staff] settings to the
// service's options (config's nearest_m 0 means never; the service's
// negative does).
func cliIncidentOptions(cfg *config.Config) incident.Options {
	o := incident.Options{NearestM: cfg.Incidents.NearestM, Roles: cfg.Staff.StaffRoles(),
		Deadlines: incident.Deadlines{Default: cfg.Incidents.Deadline, ByCategory: cfg.Incidents.ByCategory()}}
	if o.NearestM == 0 {
		o.NearestM = -1
	}
	return o
}

func (c *cliService) Close() error { return c.store.Close() }

func runIncidents(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprintln(stderr, "usage: gridmap incidents import [--data DIR] [--config FILE] FILE.csv|-")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return nil
		}
		return fmt.Errorf("%w: want the subcommand import", errUsage)
	}
	fs := newFlags("incidents import", stderr)
	data, cfgFile := cliFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: gridmap incidents import [--data DIR] [--config FILE] FILE.csv|-
Stores historical incidents (gridmap synth incidents writes such a file; the
columns are those of incident.ImportCSV) in the data directory's incident
store, each located in the active version. Bad rows are skipped and the first
ones named by line; rows already stored (same source and external_ref) are
left out, so a second run of the same file stores nothing.`)
		fs.PrintDefaults()
	}
	pos, err := parsePositional(fs, args[1:], 1, "one FILE.csv or -")
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	in, size, closeIn, err := openInput(pos[0], stdin)
	if err != nil {
		return err
	}
	defer closeIn()
	c, err := openService(ctx, *data, *cfgFile)
	if err != nil {
		return err
	}
	defer c.Close()
	bar := newProgressBar(stderr)
	start := time.Now()
	res, err := c.svc.ImportCSV(ctx, &countingReader{r: in, total: size, bar: bar},
		incident.Actor{Role: "importer", Name: "gridmap incidents import"})
	bar.done()
	took := time.Since(start)
	fmt.Fprintf(stdout, "%s: %d rows: %d stored, %d already stored, %d skipped (%d outside every grid); version %s; %v (%.0f rows/s)\n",
		pos[0], res.Rows, res.Stored, res.Duplicates, res.Skipped, res.Outside, res.Version,
		took.Round(time.Millisecond), float64(res.Rows)/took.Seconds())
	for _, e := range res.Errors {
		fmt.Fprintf(stdout, "  skipped %s\n", e.Error())
	}
	return err
}

// openInput opens path, or stdin for "-", and returns its size (0 when
// unknown).
func openInput(path string, stdin io.Reader) (io.Reader, int64, func(), error) {
	if path == "-" {
		return stdin, 0, func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, nil, err
	}
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	return f, size, func() { f.Close() }, nil
}

// countingReader draws the share of its input read on a progress bar.
type countingReader struct {
	r     io.Reader
	done  int64
	total int64
	bar   *progressBar
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.done += int64(n)
	if c.total > 0 {
		c.bar.update(version.Progress{Stage: importer.StageRead, Done: c.done, Total: c.total, Percent: 100 * float64(c.done) / float64(c.total)})
	}
	return n, err
}
