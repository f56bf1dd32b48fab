package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/version"
)

// importOptions are the catalog options of gridmap import. On a data
// directory the version is checked and published, not served here: a
// server on the same data builds it (and keeps its own when it cannot).
// On a shared PostgreSQL store the import builds the version's point index
// and renders its published tiles before activating it, as an import
// through a replica's API does, so that every replica told of the
// activation reads them instead of building them at once.
func importOptions(storeURL string) catalog.Options {
	if !isPostgresURL(storeURL) {
		return catalog.Options{PublishOnly: true}
	}
	return catalog.Options{Build: version.BuildOptions{TilesMaxZoom: version.DefaultTilesMaxZoom}}
}

func runImport(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("import", stderr)
	data := fs.String("data", defaultData, "data directory")
	storeURL := storeFlag(fs)
	var opts version.ImportOptions
	fs.StringVar(&opts.CodeProp, "code-prop", "code", "feature property holding the grid's code")
	fs.StringVar(&opts.ParentProp, "parent-prop", "parent", "feature property holding the parent's code")
	fs.StringVar(&opts.NameProp, "name-prop", "name", "feature property holding the name")
	fs.Float64Var(&opts.Tolerance, "tolerance", 1, "area in m² below which overlaps and gaps are ignored")
	fs.BoolVar(&opts.Merge, "merge", false, "update only the features the files hold, by code")
	fs.StringVar(&opts.CRS, "crs", "", "coordinate system of the files: "+crs.Names()+" (default: as a file's \"crs\" member or .prj says, else wgs84)")
	fs.BoolVar(&opts.Fix, "fix", false, "close unclosed rings, drop repeated positions and snap vertices within --snap metres onto neighbours' vertices; every repair is reported")
	fs.Float64Var(&opts.Snap, "snap", 0.05, "with --fix: distance in metres within which a vertex is moved onto a neighbour's vertex")
	fs.Int64Var(&opts.Limits.MaxFileBytes, "max-file-bytes", importer.DefaultMaxFileBytes, "refuse a file larger than this many bytes (limits.import_max_file_bytes; -1: no cap)")
	fs.IntVar(&opts.Limits.MaxFeatures, "max-features", importer.DefaultMaxFeatures, "refuse a layer of more features (limits.import_max_features; -1: no cap)")
	fs.IntVar(&opts.Limits.MaxVertices, "max-vertices", importer.DefaultMaxVertices, "refuse a feature of more vertices (limits.import_max_vertices; -1: no cap)")
	fs.Func("partial", "a layer whose grids need not tile their parents (buildings, compounds); comma-separated or repeated", func(v string) error {
		for _, name := range strings.Split(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				opts.Partial = append(opts.Partial, name)
			}
		}
		return nil
	})
	dry := fs.Bool("dry-run", false, "check only; publish nothing")
	var out reportFiles
	fs.StringVar(&out.json, "report", "", "write the report as JSON to this file (and the problem places to FILE.geojson beside it)")
	fs.StringVar(&out.geojson, "report-geojson", "", "write the problem places as GeoJSON (points, overlap and gap polygons) to this file, to open in QGIS")
	who := fs.String("who", currentUser(), "who is importing (kept in the version)")
	attribution := fs.String("attribution", "", "credit of the data's source and licence, kept in the version and shown with the map (plain text)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gridmap import [flags] FILE|NAME=FILE|FILE:LAYER|NAME=FILE:LAYER ...\nEach file is one layer, named after its base name or NAME; GeoJSON may be gzip-compressed (FILE.geojson.gz). A GeoPackage, KML or FileGDB of several\nlayers is imported layer by layer, each under its own name, unless FILE:LAYER picks one.")
		fs.PrintDefaults()
	}
	files, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return fmt.Errorf("%w: no files to import", errUsage)
	}
	cat, err := openCatalogWith(place{*data, *storeURL}, importOptions(*storeURL))
	if err != nil {
		return err
	}
	version.LimitImportMemory()
	req := version.ImportRequest{Options: opts, DryRun: *dry, Who: *who, Attribution: *attribution}
	for _, f := range files {
		src := importer.ParseSource(f)
		vf := version.File{Path: src.Path, FileLayer: src.FileLayer}
		if src.Named {
			vf.Layer = src.Layer
		}
		req.Files = append(req.Files, vf)
	}
	m, err := importAndPublish(context.Background(), cat, req, out, stdout, stderr)
	if cerr := cat.DropCopies(); cerr != nil {
		fmt.Fprintf(stderr, "gridmap import: %v\n", cerr)
	}
	if err != nil {
		return err
	}
	if *dry {
		fmt.Fprintln(stdout, "dry run: all checks passed; nothing published")
		return nil
	}
	sm, err := catalog.Detail(m)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "published and activated version %s:\n", m.ID)
	for _, l := range sm.Layers {
		parent := l.Parent
		if parent == "" {
			parent = "(root)"
		}
		fmt.Fprintf(stdout, "  %-12s %7d grids %9d vertices  parent layer %s%s\n", l.Name, l.Grids, l.Vertices, parent, importer.PartialNote(l.Partial, l.Parent))
	}
	return nil
}

// importAndPublish runs the catalog's import of req over the active
// version: unless a dry run, the result is published, built and activated.
// The report goes to stderr (and to the report files); a rejected import
// leaves the store untouched.
func importAndPublish(ctx context.Context, cat *catalog.Catalog, req version.ImportRequest, out reportFiles, stdout, stderr io.Writer) (version.Manifest, error) {
	bar := newProgressBar(stderr) // nil unless stderr is a terminal
	if bar != nil && req.Options.Progress == nil {
		req.Options.Progress = bar.update
	}
	res, err := cat.Import(ctx, req)
	bar.done() // clear the bar before the report
	if rep, ok := res.Report.(*importer.Report); ok && rep != nil {
		if txt := rep.Text(); txt != "" {
			fmt.Fprint(stderr, txt)
		}
		if werr := out.write(rep, stderr); werr != nil {
			return version.Manifest{}, werr
		}
	}
	if errors.Is(err, version.ErrRejected) || errors.Is(err, version.ErrBadImport) {
		return version.Manifest{}, fmt.Errorf("import rejected, the active version is unchanged: %w", err)
	}
	if err != nil {
		return version.Manifest{}, err
	}
	if req.DryRun && res.Active != "" {
		fmt.Fprintf(stdout, "changes against the active version:\n%s", res.Diff.Text(50))
	}
	return res.Version, nil
}

// reportFiles are where the report goes besides the terminal.
type reportFiles struct {
	json    string // the whole report as JSON
	geojson string // the problem places as GeoJSON; default: beside json
}

// write writes the report files that are asked for.
func (o reportFiles) write(rep *importer.Report, stderr io.Writer) error {
	if o.json != "" {
		if err := writeJSON(o.json, rep); err != nil {
			return err
		}
	}
	gj := o.geojson
	if gj == "" && o.json != "" {
		gj = strings.TrimSuffix(o.json, filepath.Ext(o.json)) + ".geojson"
		if gj == o.json {
			gj = o.json + ".geojson"
		}
	}
	if gj == "" {
		return nil
	}
	f, err := os.Create(gj)
	if err != nil {
		return err
	}
	n, err := rep.WriteGeoJSON(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", gj, err)
	}
	if len(rep.Problems) > 0 {
		fmt.Fprintf(stderr, "problem places (%d of %d problems): %s\n", n, len(rep.Problems), gj)
	}
	return nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return os.Getenv("USER")
}
