package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/sample"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/version"
)

func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	data := fs.String("data", defaultData, "data directory")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	adminToken := fs.String("admin-token", os.Getenv("GRIDMAP_ADMIN_TOKEN"), "bearer token for POST /api/v1/imports and /api/v1/versions/{id}/activate (default $GRIDMAP_ADMIN_TOKEN; empty disables them)")
	basemap := fs.String("basemap", "", "raster tile URL template ({z}/{x}/{y}) drawn under the grids; default none, nothing fetched from outside")
	publicURL := fs.String("public-url", "", "URL clients reach this server at behind a reverse proxy (tile URLs in tiles.json start with it); default from the request")
	cacheMB := fs.Int64("tile-cache-mb", 256, "memory cap of the tile cache in MiB (0 or less: no cache)")
	maxTileKB := fs.Int("max-tile-kb", 500, "uncompressed tile size in kB above which a tile is reported")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	slogger := slog.New(slog.NewTextHandler(stderr, nil))
	logger := slog.NewLogLogger(slogger.Handler(), slog.LevelInfo)
	build := version.BuildOptions{Cache: tileCache(*cacheMB, *maxTileKB), Log: logger}
	cat, err := openCatalog(*data, build, logger)
	if err != nil {
		return err
	}
	version.TuneGC(ctx, 30*time.Second)
	// the start build is cancellable: a signal ends serve at once
	err = cat.Start(ctx)
	if errors.Is(err, catalog.ErrEmpty) {
		// the sample is for an empty data directory only
		fmt.Fprintf(stdout, "no version in %s yet: importing the bundled Jiangyin sample\n", *data)
		if err := importSample(ctx, cat, stdout, stderr); err != nil {
			return fmt.Errorf("import bundled sample: %w", err)
		}
	} else if ctx.Err() != nil {
		fmt.Fprintln(stderr, "gridmap serve: stopped by a signal before the first version was served")
		return nil
	} else if err != nil {
		return fmt.Errorf("serve %s: %w", *data, err)
	}
	srv, err := server.New(ctx, server.Options{
		Versions: cat, Logger: slogger, AdminToken: *adminToken, Basemap: *basemap,
		Tiles: server.TileOptions{PublicURL: *publicURL},
	})
	if err != nil {
		return err
	}
	go cat.Watch(ctx)
	fmt.Fprintf(stdout, "serving version %s on http://%s/\n", srv.Version(), *addr)
	return srv.ListenAndServe(ctx, *addr)
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
	req := version.ImportRequest{Who: "gridmap serve (bundled sample)"}
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

// tileCache turns the serve flags into cache options: a cap of 0 or less
// disables the cache.
func tileCache(mb int64, maxKB int) tiles.CacheOptions {
	o := tiles.CacheOptions{MaxBytes: mb << 20, MaxTileBytes: maxKB * 1000}
	if mb <= 0 {
		o.MaxBytes = -1
	}
	return o
}
