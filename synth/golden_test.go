package synth_test

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/sample"
	"github.com/gridmap/gridmap/synth"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestWriteGolden writes two copies of the bundled sample and compares each
// layer's bytes, by SHA-256, with testdata/sample-2-copies.sha256, recorded
// from the writer of commit 53fa905 (before synth shared its GeoJSON writer
// with export and the importer's problem report).
func TestWriteGolden(t *testing.T) {
	dir := t.TempDir()
	if _, err := sample.Extract(dir); err != nil {
		t.Fatal(err)
	}
	s, err := synth.ReadSource(dir)
	if err != nil {
		t.Fatal(err)
	}
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
	if *update {
		if err := os.WriteFile(path, []byte(sums.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := sums.String(); got != string(want) {
		t.Errorf("layers differ from %s:\n%s\nwant\n%s", path, got, want)
	}
}
