package index_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/bigmem"
)

// publishedFile writes x's published index file (key "bench") into a
// temporary directory of b and returns its path.
func publishedFile(b *testing.B, x *index.Index) string {
	path := filepath.Join(b.TempDir(), "index.bin")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := x.Encode(f, "bench"); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkLookupChainPublished is BenchmarkLookupChain on the same points
// over Jiangyin's published index file, memory-mapped as a replica maps it
// (version.IndexMap) instead of built.
func BenchmarkLookupChainPublished(b *testing.B) {
	d, built := jiangyin(b)
	mem, release, err := bigmem.MapFile(publishedFile(b, built))
	if err != nil {
		b.Fatal(err)
	}
	x, err := index.LoadIndex(d, mem, "bench")
	if err != nil {
		b.Fatal(err)
	}
	bigmem.ReleaseWith(x, release)
	lookupChains(b, x, randomInside(d, built, 1<<16))
}

// BenchmarkLoadIndex is a replica's point index start over Jiangyin's
// published index: map the file, check it whole, make the Index.
func BenchmarkLoadIndex(b *testing.B) {
	d, built := jiangyin(b)
	path := publishedFile(b, built)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		mem, release, err := bigmem.MapFile(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := index.LoadIndex(d, mem, "bench"); err != nil {
			b.Fatal(err)
		}
		release()
	}
}
