package tiles

import (
	"github.com/gridmap/gridmap/internal/gridtest"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/geo"
)

// jiangyinLayers are the Jiangyin files, coarse → fine.
var jiangyinLayers = []string{"county", "towns", "villages", "grids", "microgrids"}

// loadSet reads the named layers of one shared data set into a dataset
// (Jiangyin's from the bundled sample when the shared data is absent).
func loadSet(tb testing.TB, set string, layers ...string) *geo.Dataset {
	return gridtest.LoadSet(tb, set, layers...)
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
		tb.Fatal("the Jiangyin data did not load (see the test that loaded it first)")
	}
	if jiangyin.err != nil {
		tb.Fatal(jiangyin.err)
	}
	return jiangyin.d, jiangyin.s
}
