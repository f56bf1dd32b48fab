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

// builtSource is a dataset and its Source with default options, built
// once per test binary.
type builtSource struct {
	once sync.Once
	d    *geo.Dataset
	s    *Source
	err  error
}

// get returns the dataset load gives and its Source, calling load and
// NewSource on the first call only; name names the data in the failure of
// later calls when the first failed.
func (b *builtSource) get(tb testing.TB, name string, load func() *geo.Dataset) (*geo.Dataset, *Source) {
	tb.Helper()
	b.once.Do(func() {
		b.d = load()
		b.s, b.err = NewSource(b.d, Options{})
	})
	if b.d == nil {
		tb.Fatalf("the %s data did not load (see the test that loaded it first)", name)
	}
	if b.err != nil {
		tb.Fatal(b.err)
	}
	return b.d, b.s
}

var jiangyin builtSource

// jiangyinSource returns the Jiangyin dataset and its Source with default
// options, built once per test binary.
func jiangyinSource(tb testing.TB) (*geo.Dataset, *Source) {
	tb.Helper()
	return jiangyin.get(tb, "Jiangyin", func() *geo.Dataset { return loadSet(tb, "jiangyin", jiangyinLayers...) })
}
