package geo_test

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

// loadLayer reads a GeoJSON file of the shared data into a layer. It is a
// test helper: the importer is what checks files.
func loadLayer(t testing.TB, name, path string) *geo.Layer {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
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
			t.Fatalf("%s: feature %s: geometry %T", path, g.Code, gm)
		}
		grids = append(grids, g)
	}
	return geo.NewLayer(name, grids)
}

// loadSet reads the named layers of one shared data set.
func loadSet(t testing.TB, set string, layers ...string) *geo.Dataset {
	t.Helper()
	var ls []*geo.Layer
	for _, l := range layers {
		ls = append(ls, loadLayer(t, l, filepath.Join(sharedData, set, l+".geojson")))
	}
	d, err := geo.NewDataset(ls)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var (
	jyOnce sync.Once
	jy     *geo.Dataset
	jyIdx  *geo.Index
)

// jiangyin returns the five Jiangyin layers and their index, loaded once.
func jiangyin(t testing.TB) (*geo.Dataset, *geo.Index) {
	t.Helper()
	if _, err := os.Stat(sharedData); err != nil {
		t.Skipf("shared data not found at %s", sharedData)
	}
	jyOnce.Do(func() {
		jy = loadSet(t, "jiangyin", "county", "towns", "villages", "grids", "microgrids")
		var err error
		jyIdx, err = geo.NewIndex(jy)
		if err != nil {
			t.Fatal(err)
		}
	})
	if jyIdx == nil {
		t.Fatal("jiangyin failed to load")
	}
	return jy, jyIdx
}
