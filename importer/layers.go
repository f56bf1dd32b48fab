package importer

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// multiLayerFormats are the extensions of the files GDAL reads that may
// hold several layers (a FileGDB is a directory named *.gdb).
var multiLayerFormats = map[string]bool{".gpkg": true, ".kml": true, ".kmz": true, ".gdb": true}

// multiLayer reports whether path names a file that may hold several
// layers.
func multiLayer(path string) bool {
	return multiLayerFormats[strings.ToLower(filepath.Ext(path))]
}

// FileLayers returns the names of the layers of a file read through GDAL
// (GeoPackage, KML, FileGDB), in the file's order, by way of GDAL's ogrinfo
// (found beside Options.OGR2OGR, else on PATH). The error wraps ErrNoGDAL
// when it cannot be found.
func FileLayers(ctx context.Context, path string, opts Options) ([]string, error) {
	bin, err := ogrinfo(opts)
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, bin, "-ro", "-q", path).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("ogrinfo %s: %v: %s", path, err, strings.TrimSpace(string(out)))
	}
	return parseOGRInfo(out), nil
}

// ogrinfo returns the path of GDAL's ogrinfo: beside ogr2ogr, else on PATH.
func ogrinfo(opts Options) (string, error) {
	bin := opts.OGR2OGR
	if bin == "" {
		bin = "ogr2ogr"
	}
	if p, err := exec.LookPath(bin); err == nil {
		if q, err := exec.LookPath(filepath.Join(filepath.Dir(p), "ogrinfo")); err == nil {
			return q, nil
		}
	}
	if p, err := exec.LookPath("ogrinfo"); err == nil {
		return p, nil
	}
	return "", ErrNoGDAL
}

// parseOGRInfo reads the layer names of `ogrinfo -ro -q` output, lines
// "1: towns (Multi Polygon)" or "1: towns".
func parseOGRInfo(out []byte) []string {
	var names []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		num, rest, ok := strings.Cut(sc.Text(), ": ")
		if !ok || num == "" || strings.Trim(num, "0123456789") != "" {
			continue
		}
		if i := strings.LastIndex(rest, " ("); i > 0 && strings.HasSuffix(rest, ")") {
			rest = rest[:i]
		}
		names = append(names, rest)
	}
	return names
}

// ExpandLayers returns src as the sources to import: src itself, unless it
// is a file of several layers with none picked (FileLayer ""): then one
// source per layer of the file, each making a layer of its own name, in
// the file's order (Import orders layers by their parents). A file of
// several layers given a layer name (Named) must pick one: that is an
// error listing them.
func ExpandLayers(ctx context.Context, src Source, opts Options) ([]Source, error) {
	if src.FileLayer != "" || !multiLayer(src.Path) {
		return []Source{src}, nil
	}
	names, err := FileLayers(ctx, src.Path, opts)
	if err != nil || len(names) <= 1 {
		return []Source{src}, nil // reading the file says what is wrong
	}
	if src.Named {
		return nil, fmt.Errorf("%s holds %d layers (%s): pick one as %s=%s:LAYER, or give the file alone to import every layer under its own name",
			src.Path, len(names), strings.Join(names, ", "), src.Layer, src.Path)
	}
	out := make([]Source, len(names))
	for i, n := range names {
		out[i] = Source{Layer: n, Path: src.Path, FileLayer: n}
	}
	return out, nil
}
