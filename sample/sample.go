// Package sample bundles the Jiangyin demo data (five layers, gzipped
// GeoJSON) so that `gridmap serve` on an empty data directory shows a map at
// once. See README.md in this directory for its sources and licence.
package sample

import (
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

//go:embed jiangyin/*.geojson.gz
var files embed.FS

// Attribution credits the sources of the sample and their licence, as
// README.md in this directory does; a map of the sample shows it.
const Attribution = "Jiangyin sample: outline, names and codes from adcode by Vonng (github.com/Vonng/adcode; NBS, Amap), CC BY 4.0, changed; inner boundaries synthetic"

// Layers are the bundled layers, coarse to fine.
var Layers = []string{"county", "towns", "villages", "grids", "microgrids"}

// Extract writes the bundled GeoJSON files into dir and returns their
// paths, coarse to fine (one file per layer, named after the layer).
func Extract(dir string) ([]string, error) {
	var out []string
	for _, l := range Layers {
		name := "jiangyin/" + l + ".geojson.gz"
		f, err := files.Open(name)
		if err != nil {
			return nil, fmt.Errorf("bundled sample %s: %w", name, err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("bundled sample %s: %w", name, err)
		}
		path := filepath.Join(dir, strings.TrimSuffix(filepath.Base(name), ".gz"))
		w, err := os.Create(path)
		if err == nil {
			_, err = io.Copy(w, zr)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
		}
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("extract %s: %w", name, err)
		}
		out = append(out, path)
	}
	return out, nil
}
