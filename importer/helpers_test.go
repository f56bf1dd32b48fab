package importer

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/internal/gridtest"
)

// sharedData is the shared test data beside the repository ("" when absent).
var sharedData = gridtest.SharedData()

var jiangyinLayers = []string{"county", "towns", "villages", "grids", "microgrids"}

// badDir returns the shared set of defective files, or skips t naming the
// set: the bundled sample has no such files.
func badDir(t testing.TB) string {
	t.Helper()
	return gridtest.NeedShared(t, "bad")
}

// badFile returns the path of one file of the shared set of defective
// files, or skips t naming the set.
func badFile(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(badDir(t), name)
}

// gcj02Grids returns the path of the shared GCJ-02 copy of the Jiangyin
// grids, or skips t naming it: the bundled sample has only the WGS84 layers.
func gcj02Grids(t testing.TB) string {
	t.Helper()
	return gridtest.NeedShared(t, "jiangyin", "grids.gcj02.geojson")
}

// setSources returns the sources of the named layers of one shared data
// set (Jiangyin's from the bundled sample when the shared data is absent).
func setSources(t testing.TB, set string, layers ...string) []Source {
	t.Helper()
	dir := gridtest.SetDir(t, set)
	var srcs []Source
	for _, l := range layers {
		srcs = append(srcs, ParseSource(filepath.Join(dir, l+".geojson")))
	}
	return srcs
}

var (
	jyOnce sync.Once
	jy     *geo.Dataset
	jyRep  *Report
	jyErr  error
)

// jiangyin imports the five Jiangyin layers once per test binary.
func jiangyin(t testing.TB) *geo.Dataset {
	t.Helper()
	jyOnce.Do(func() {
		jy, jyRep, jyErr = Import(context.Background(), setSources(t, "jiangyin", jiangyinLayers...), nil, Options{})
	})
	if jyErr != nil {
		t.Fatalf("import jiangyin: %v\n%s", jyErr, jyRep.Text())
	}
	return jy
}
