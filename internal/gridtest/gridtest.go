// Package gridtest holds what the tests and benchmarks of several packages
// share: the location of the shared test data beside the repository, a plain
// GeoJSON loader for it (the importer is what checks real files), the
// Jiangyin layers from it or else from the bundled sample, and a
// seeded random source whose sequence never changes.
package gridtest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// SharedEnv names the environment variable that, when set, replaces the
// shared directory beside the repository (../shared): its data/
// subdirectory is the shared test data. GRIDMAP_SHARED=/nonexistent runs
// the tests as a fresh clone without the shared data would.
const SharedEnv = "GRIDMAP_SHARED"

// SharedData returns the shared test data directory (../shared/data beside
// the repository root, found from the working directory, or data/ in the
// directory that SharedEnv names), or "" when it is absent.
func SharedData() string {
	if s, ok := os.LookupEnv(SharedEnv); ok {
		d := filepath.Join(s, "data")
		if _, err := os.Stat(d); err != nil {
			return ""
		}
		return d
	}
	root := repoRoot()
	if root == "" {
		return ""
	}
	d := filepath.Join(root, "..", "shared", "data")
	if _, err := os.Stat(d); err != nil {
		return ""
	}
	return d
}

// repoRoot returns the repository root (the first directory up from the
// working directory that holds go.mod), or "" when there is none.
func repoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}

// Need returns the shared data directory, or skips tb when it is absent
// (fails it when CI=true, where the data must be there).
func Need(tb testing.TB) string {
	tb.Helper()
	d := SharedData()
	if d == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("shared test data (../shared/data) not found")
		}
		tb.Skip("shared test data (../shared/data) not found")
	}
	return d
}

// LoadLayer reads a GeoJSON FeatureCollection into a layer named name;
// code, name, level and parent are feature properties.
func LoadLayer(tb testing.TB, name, path string) *geo.Layer {
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

// LoadSet reads the named layers (files LAYER.geojson) of one shared data
// set, for example "jiangyin", into a dataset; see SetDir for where the
// files come from.
func LoadSet(tb testing.TB, set string, layers ...string) *geo.Dataset {
	tb.Helper()
	return loadDir(tb, SetDir(tb, set), layers)
}

// loadDir reads the named layers (files LAYER.geojson in dir) into a
// dataset.
func loadDir(tb testing.TB, dir string, layers []string) *geo.Dataset {
	tb.Helper()
	var ls []*geo.Layer
	for _, l := range layers {
		ls = append(ls, LoadLayer(tb, l, filepath.Join(dir, l+".geojson")))
	}
	d, err := geo.NewDataset(ls)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// JiangyinSet returns the named layers of the Jiangyin data set: from the
// shared data when it is there, else from the bundled sample (package
// sample, the same files), so that a fresh clone runs the tests that need
// them.
func JiangyinSet(tb testing.TB, layers ...string) *geo.Dataset {
	tb.Helper()
	return loadDir(tb, Jiangyin(tb), layers)
}

// Rand is a seeded xorshift64 source: the same seed gives the same points
// on every machine and Go version. Tests print their seed.
type Rand uint64

// Float64 returns the next number in [0, 1).
func (r *Rand) Float64() float64 {
	x := uint64(*r)
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	*r = Rand(x)
	return float64(x>>11) / (1 << 53)
}
