package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/config"
	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/internal/logs"
	"github.com/gridmap/gridmap/sample"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/version"
)

// serveFlags are serve's command line: one flag per configuration key, and
// the file to read.
type serveFlags struct {
	keys        *config.Flags
	file        *string
	printConfig *bool
}

func newServeFlags(fs *flag.FlagSet, stderr io.Writer) serveFlags {
	f := serveFlags{
		keys:        config.RegisterFlags(fs),
		file:        fs.String("config", "", "TOML configuration file (default $GRIDMAP_CONFIG; gridmap.example.toml lists every key)"),
		printConfig: fs.Bool("print-config", false, "print the effective configuration, where each value came from and secrets masked, and exit"),
	}
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: gridmap serve [--config FILE] [--print-config] [flags]
Serves the active version over HTTP; imports the bundled sample into an empty
data directory first. Each setting comes from its default, then the file, then
its environment variable, then its flag (each flag names its key and variable).
SIGTERM or Ctrl-C drains requests in flight within limits.shutdown_timeout;
SIGHUP reloads the configuration file: API keys, limits, log level and TLS
certificates.
`)
		fs.PrintDefaults()
	}
	return f
}

// load reads the configuration the flags name.
func (f serveFlags) load() (*config.Config, error) {
	file := *f.file
	if file == "" {
		file = os.Getenv("GRIDMAP_CONFIG")
	}
	return config.Load(config.Input{File: file, Environ: os.Environ(), Flags: f.keys})
}

func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	flags := newServeFlags(fs, stderr)
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	cfg, err := flags.load()
	if *flags.printConfig {
		if werr := cfg.WriteTOML(stdout); werr != nil {
			return werr
		}
	}
	if err != nil {
		return configError(err)
	}
	if *flags.printConfig {
		return nil
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// a second signal during the drain ends the process at once
		<-ctx.Done()
		stop()
	}()
	var level slog.LevelVar
	logger := newLogger(cfg.Log, stderr, &level)
	return serve(ctx, cfg, flags, &level, logger, stdout, stderr)
}

// serve opens the catalog, starts its first version and serves it on the
// configured addresses until ctx ends.
func serve(ctx context.Context, cfg *config.Config, flags serveFlags, level *slog.LevelVar, logger *slog.Logger, stdout, stderr io.Writer) error {
	certs, err := loadCerts(cfg.TLS)
	if err != nil {
		return err
	}
	catLog := slog.NewLogLogger(logger.Handler(), slog.LevelInfo)
	build := version.BuildOptions{Cache: tileCache(cfg.Tiles.CacheMB, cfg.Tiles.MaxTileKB), Log: catLog, TilesMaxZoom: version.DefaultTilesMaxZoom}
	cat, err := openCatalogWith(placeOf(cfg), catalog.Options{Build: build, Log: catLog, WarmTiles: true})
	if err != nil {
		return err
	}
	version.TuneGC(ctx, 30*time.Second)
	// the start build is cancellable: a signal ends serve at once. The
	// sample is for an empty store only, imported by one replica of a
	// shared store (under its lock); the others serve it
	fresh, err := cat.StartOrCreate(ctx, func(ctx context.Context) error {
		where := cfg.Data
		if isPostgresURL(cfg.Store) {
			where = storeName(cfg) // the URL, its password masked
		}
		fmt.Fprintf(stdout, "no version in %s yet: importing the bundled Jiangyin sample\n", where)
		if err := importSample(ctx, cat, stdout, stderr); err != nil {
			return fmt.Errorf("import bundled sample: %w", err)
		}
		return nil
	})
	if fresh && err != nil {
		return err
	} else if ctx.Err() != nil {
		fmt.Fprintln(stderr, "gridmap serve: stopped by a signal before the first version was served")
		return nil
	} else if err != nil {
		return fmt.Errorf("serve %s: %w", cfg.Data, err)
	}
	inc, err := openIncidents(ctx, cfg, cat, logger, fresh, stdout)
	if err != nil {
		return err
	}
	opts := serverOptions(cfg, cat, logger)
	inc.serverOptions(&opts)
	if certs != nil {
		opts.TLS = certs.config()
	}
	srv, err := server.New(ctx, opts)
	if err != nil {
		return closeAfter(err, inc)
	}
	ln, scheme, err := listen(cfg.Addr, certs)
	if err != nil {
		return closeAfter(err, inc)
	}
	if cfg.AdminAddr != "" {
		if err := serveAdmin(ctx, cfg, srv, logger); err != nil {
			ln.Close()
			return closeAfter(err, inc)
		}
	}
	go cat.Watch(ctx)
	go inc.run(ctx)
	reloadOnHangup(ctx, reloader{flags: flags, cfg: cfg, srv: srv, level: level, certs: certs, log: logger})
	logger.Info("serving", "version", srv.Version(), "store", storeName(cfg), "addr", ln.Addr().String(), "tls", certs != nil, "admin_addr", cfg.AdminAddr, "config", cfg.File())
	fmt.Fprintf(stdout, "serving version %s on %s://%s/\n", srv.Version(), scheme, ln.Addr())
	err = srv.Serve(ctx, ln)
	// the store closes after the server: no request writes any more
	if cerr := inc.close(); err == nil {
		err = cerr
	}
	logger.Info("stopped")
	return err
}

// closeAfter closes the incident parts of a serve that failed with err
// before serving (before their sweeps started).
func closeAfter(err error, inc *incidentParts) error {
	inc.hub.Close()
	if cerr := inc.store.Close(); cerr != nil {
		return fmt.Errorf("%w (and: %w)", err, cerr)
	}
	return err
}

// configError lists every refused value of a configuration, one a line.
func configError(err error) error {
	return fmt.Errorf("invalid configuration:\n  %s", strings.ReplaceAll(err.Error(), "\n", "\n  "))
}

// newLogger returns the slog logger of [log] on w, at the level held by
// level (which SIGHUP may change): slog's text or JSON lines, the request
// log's written by package logs' fast path.
func newLogger(lc config.LogConfig, w io.Writer, level *slog.LevelVar) *slog.Logger {
	level.Set(logLevel(lc.Level))
	opts := &slog.HandlerOptions{Level: level}
	if lc.Format == "json" {
		return logs.New(logs.FormatJSON, w, opts)
	}
	return logs.New(logs.FormatText, w, opts)
}

// logLevel reads a validated log.level.
func logLevel(s string) slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return slog.LevelInfo
	}
	return l
}

// importSample imports the bundled Jiangyin layers as the first version.
func importSample(ctx context.Context, cat *catalog.Catalog, stdout, stderr io.Writer) error {
	dir, remove, err := cat.NewUpload()
	if err != nil {
		return err
	}
	defer remove()
	paths, err := sample.Extract(dir)
	if err != nil {
		return err
	}
	req := version.ImportRequest{Who: "gridmap serve (bundled sample)", Attribution: sample.Attribution}
	for _, p := range paths {
		src := importer.ParseSource(p)
		req.Files = append(req.Files, version.File{Path: src.Path, Layer: src.Layer})
	}
	m, err := importAndPublish(ctx, cat, req, reportFiles{}, stdout, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "published version %s from the bundled sample\n", m.ID)
	return nil
}

// tileCache turns the [tiles] settings into cache options: a cap of 0 or
// less disables the cache.
func tileCache(mb int64, maxKB int) tiles.CacheOptions {
	o := tiles.CacheOptions{MaxBytes: mb << 20, MaxTileBytes: maxKB * 1000}
	if mb <= 0 {
		o.MaxBytes = -1
	}
	return o
}
