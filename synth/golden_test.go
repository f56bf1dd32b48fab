package synth_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/sample"
	"github.com/gridmap/gridmap/synth"
)

// sampleSource reads the bundled sample as a source.
func sampleSource(tb testing.TB) *synth.Source {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := sample.Extract(dir); err != nil {
		tb.Fatal(err)
	}
	s, err := synth.ReadSource(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TestWriteGolden writes two copies of the bundled sample and compares each
// layer's bytes, by SHA-256, with testdata/sample-2-copies.sha256, recorded
// from the writer of commit 53fa905 (before synth shared its GeoJSON writer
// with export and the importer's problem report).
func TestWriteGolden(t *testing.T) {
	s := sampleSource(t)
	const n = 2
	lat := s.NewLattice(n, 0)
	var sums strings.Builder
	for li, name := range synth.LayerNames {
		h := sha256.New()
		if _, err := s.WriteLayer(context.Background(), h, li, n, lat); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&sums, "%x  %s.geojson\n", h.Sum(nil), name)
	}
	path := filepath.Join("testdata", "sample-2-copies.sha256")
	if got, want := sums.String(), gridtest.Golden(t, path, []byte(sums.String())); got != string(want) {
		t.Errorf("layers differ from %s:\n%s\nwant\n%s", path, got, want)
	}
}
