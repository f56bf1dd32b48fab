package tiles

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// sharedData is the directory of the bundled test data, beside the repo.
var sharedData = filepath.Join("..", "..", "shared", "data")

// jiangyinLayers are the Jiangyin files, coarse → fine.
var jiangyinLayers = []string{"county", "towns", "villages", "grids", "microgrids"}

// loadLayer reads a GeoJSON file into a layer; code, name, level and parent
// are feature properties. A test helper: the importer checks real files.
func loadLayer(tb testing.TB, name, path string) *geo.Layer {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		tb.Fatalf("parse %s: %v", path, err)
	}
	grids := make([]*geo.Grid, 0, len(fc.Features))
	for _, f := range fc.Features {
		g := &geo.Grid{Props: f.Properties}
		g.Code, _ = f.Properties["code"].(string)
		g.Name, _ = f.Properties["name"].(string)
		g.Level, _ = f.Properties["level"].(string)
		g.Parent, _ = f.Properties["parent"].(string)
		switch gm := f.Geometry.(type) {
		case orb.Polygon:
			g.Geom = orb.MultiPolygon{gm}
		case orb.MultiPolygon:
			g.Geom = gm
		default:
			tb.Fatalf("%s: feature %s: geometry %T", path, g.Code, gm)
		}
		grids = append(grids, g)
	}
	return geo.NewLayer(name, grids)
}

// loadSet reads the named layers of one shared data set into a dataset.
func loadSet(tb testing.TB, set string, layers ...string) *geo.Dataset {
	tb.Helper()
	dir := filepath.Join(sharedData, set)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("test data: %v", err)
		}
		tb.Skipf("test data missing: %v", err)
	}
	var ls []*geo.Layer
	for _, l := range layers {
		ls = append(ls, loadLayer(tb, l, filepath.Join(dir, l+".geojson")))
	}
	d, err := geo.NewDataset(ls)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

var jiangyin struct {
	once sync.Once
	d    *geo.Dataset
	s    *Source
	err  error
}

// jiangyinSource returns the Jiangyin dataset and its Source with default
// options, built once per test binary.
func jiangyinSource(tb testing.TB) (*geo.Dataset, *Source) {
	tb.Helper()
	jiangyin.once.Do(func() {
		d := loadSet(tb, "jiangyin", jiangyinLayers...)
		jiangyin.d = d
		jiangyin.s, jiangyin.err = NewSource(d, Options{})
	})
	if jiangyin.d == nil {
		tb.Skip("jiangyin data not loaded")
	}
	if jiangyin.err != nil {
		tb.Fatal(jiangyin.err)
	}
	return jiangyin.d, jiangyin.s
}
