package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/lookup"
	"github.com/gridmap/gridmap/version"
)

func runLookup(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("lookup", stderr)
	data := fs.String("data", defaultData, "data directory")
	storeURL := storeFlag(fs)
	format := fs.String("format", "csv", "format of points on stdin and of the answer: csv, ndjson or json")
	nearest := fs.Float64("nearest", 0, "metres: a point outside every grid of the finest layer (between buildings, say) is also given the nearest one within this distance (CSV: a distance_m column)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gridmap lookup [flags] LON LAT   (WGS84 degrees)\n       gridmap lookup [flags] -         (CSV id,lon,lat on stdin; CSV id,lon,lat,<layer>... out)")
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if !(len(pos) == 1 && pos[0] == "-") && len(pos) != 2 {
		fs.Usage()
		return fmt.Errorf("%w: want LON LAT or -", errUsage)
	}
	ctx := context.Background()
	cat, err := openCatalog(place{*data, *storeURL}, version.BuildOptions{}, nil)
	if err != nil {
		return err
	}
	d, m, err := cat.Load(ctx, "active")
	if errors.Is(err, version.ErrNoVersion) {
		return fmt.Errorf("no version in %s: run gridmap import or gridmap serve first", *data)
	}
	if err != nil {
		return err
	}
	idx, err := index.NewIndex(d)
	if err != nil {
		return err
	}
	if !(*nearest >= 0 && *nearest <= 100000) {
		return fmt.Errorf("%w: --nearest %v: want metres from 0 to 100000", errUsage, *nearest)
	}
	q := index.Query{NearestM: *nearest}
	enc := lookup.NewEncoder(idx, m.ID)
	if pos[0] == "-" {
		f, err := lookup.ParseFormat(map[string]string{"csv": "text/csv", "ndjson": "application/x-ndjson", "json": "application/json"}[*format])
		if err != nil || *format == "" {
			return fmt.Errorf("%w: --format %q: want csv, ndjson or json", errUsage, *format)
		}
		n, err := enc.Batch(stdin, stdout, f, &lookup.Options{Query: q})
		var ie *lookup.InputError
		if errors.As(err, &ie) {
			return fmt.Errorf("stdin: %w (%d points answered before it)", err, n)
		}
		return err
	}
	p, err := lookup.ParsePoint(pos[0], pos[1])
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	lon, lat := p[0], p[1]
	q.BoundaryM = -1 // not shown
	hits := idx.AppendQuery(nil, lon, lat, &q)
	fmt.Fprintf(stdout, "version %s, point %v,%v\n", m.ID, lon, lat)
	if len(hits) == 0 {
		fmt.Fprintln(stdout, "in no grid")
		return nil
	}
	for _, h := range hits {
		g := idx.Grid(h)
		near := ""
		if h.Nearest {
			near = fmt.Sprintf(" (nearest, %.2f m)", h.DistanceM)
		}
		fmt.Fprintf(stdout, "%-12s %-20s %s%s\n", idx.LayerName(h), g.Code, g.Name, near)
	}
	return nil
}
