package export_test

import (
	"context"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/sample"
)

var (
	sampleOnce sync.Once
	sampleSet  *geo.Dataset
	sampleErr  error
)

// sampleDataset imports the bundled Jiangyin sample once per test binary,
// as `gridmap import` does.
func sampleDataset(t testing.TB) *geo.Dataset {
	t.Helper()
	sampleOnce.Do(func() {
		paths, err := sample.Extract(t.TempDir())
		if err != nil {
			sampleErr = err
			return
		}
		var srcs []importer.Source
		for _, p := range paths {
			srcs = append(srcs, importer.ParseSource(p))
		}
		sampleSet, _, sampleErr = importer.Import(context.Background(), srcs, nil, importer.Options{})
	})
	if sampleErr != nil {
		t.Fatalf("import the bundled sample: %v", sampleErr)
	}
	return sampleSet
}
