package importer

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/geo"
)

// sharedData is the bundled test data beside the repository.
var sharedData = filepath.Join("..", "..", "shared", "data")

var jiangyinLayers = []string{"county", "towns", "villages", "grids", "microgrids"}

func needData(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(sharedData); err != nil {
		t.Skipf("shared data not found at %s", sharedData)
	}
}

func setSources(set string, layers ...string) []Source {
	var srcs []Source
	for _, l := range layers {
		srcs = append(srcs, ParseSource(filepath.Join(sharedData, set, l+".geojson")))
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
	needData(t)
	jyOnce.Do(func() {
		jy, jyRep, jyErr = Import(context.Background(), setSources("jiangyin", jiangyinLayers...), nil, Options{})
	})
	if jyErr != nil {
		t.Fatalf("import jiangyin: %v\n%s", jyErr, jyRep.Text())
	}
	return jy
}
