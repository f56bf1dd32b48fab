package index_test

import (
	"sync"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/gridtest"
)

// sharedData is the directory of the shared test data ("" when absent).
var sharedData = gridtest.SharedData()

// loadSet reads the named layers of one shared data set.
func loadSet(t testing.TB, set string, layers ...string) *geo.Dataset {
	return gridtest.LoadSet(t, set, layers...)
}

var (
	jyOnce sync.Once
	jy     *geo.Dataset
	jyIdx  *index.Index
)

// jiangyin returns the five Jiangyin layers and their index, loaded once,
// from the shared data or else the bundled sample (gridtest.Jiangyin).
func jiangyin(t testing.TB) (*geo.Dataset, *index.Index) {
	t.Helper()
	jyOnce.Do(func() {
		jy = gridtest.JiangyinSet(t, "county", "towns", "villages", "grids", "microgrids")
		var err error
		jyIdx, err = index.NewIndex(jy)
		if err != nil {
			t.Fatal(err)
		}
	})
	if jyIdx == nil {
		t.Fatal("jiangyin failed to load")
	}
	return jy, jyIdx
}
