package gridtest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/sample"
)

// SetDir returns the directory of one shared data set, for example
// "jiangyin". Without the shared data, the Jiangyin set comes from the
// bundled sample (the same five layer files, extracted into a temporary
// directory of tb that is removed when tb ends), and any other set skips tb
// naming it (as Need does).
func SetDir(tb testing.TB, set string) string {
	tb.Helper()
	if set == "jiangyin" && SharedData() == "" {
		return Jiangyin(tb)
	}
	return NeedShared(tb, set)
}

// Jiangyin returns a directory holding the five Jiangyin layers
// (county.geojson … microgrids.geojson, see sample.Layers): the shared
// set's when present, else the bundled sample extracted into tb.TempDir().
// The shared set also has files the sample lacks (points.csv,
// grids.gcj02.geojson): a test that reads them uses NeedShared.
func Jiangyin(tb testing.TB) string {
	tb.Helper()
	if d := SharedData(); d != "" {
		return filepath.Join(d, "jiangyin")
	}
	dir := tb.TempDir()
	if _, err := sample.Extract(dir); err != nil {
		tb.Fatalf("bundled sample: %v", err)
	}
	return dir
}

// NeedShared returns the path of a file or directory of the shared data
// (elem joined below ../shared/data, for example "bad" or "jiangyin",
// "points.csv"), or skips tb naming it when it is absent, since the bundled
// sample does not hold it (fails tb when CI=true, where the data must be
// there). A parent test calls it before its subtests, so that go test -v
// reports the skip instead of a parent that passed doing nothing.
func NeedShared(tb testing.TB, elem ...string) string {
	tb.Helper()
	rel := filepath.Join(elem...)
	if d := SharedData(); d != "" {
		p := filepath.Join(d, rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("shared test data %s not found (../shared/data or $%s)", rel, SharedEnv)
	}
	tb.Skipf("needs shared test data %s (../shared/data or $%s), which the bundled sample does not hold", rel, SharedEnv)
	return ""
}
