package index_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/bigmem"
)

// BenchmarkLookupChainPublished is BenchmarkLookupChain on the same points
// over Jiangyin's published index file, memory-mapped as a replica maps it
// (version.IndexMap) instead of built.
func BenchmarkLookupChainPublished(b *testing.B) {
	d, built := jiangyin(b)
	path := filepath.Join(b.TempDir(), "index.bin")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := built.Encode(f, "bench"); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	mem, release, err := bigmem.MapFile(path)
	if err != nil {
		b.Fatal(err)
	}
	x, err := index.LoadIndex(d, mem, "bench")
	if err != nil {
		b.Fatal(err)
	}
	bigmem.ReleaseWith(x, release)
	pts := randomInside(d, built, 1<<16)
	hits := make([]index.Hit, 0, 16)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := pts[i&(len(pts)-1)]
		hits = x.AppendChains(hits[:0], p[0], p[1])
	}
	if len(hits) == 0 {
		b.Fatal("no hit")
	}
}

// BenchmarkLoadIndex is a replica's point index start over Jiangyin's
// published index: map the file, check it whole, make the Index.
func BenchmarkLoadIndex(b *testing.B) {
	d, built := jiangyin(b)
	path := filepath.Join(b.TempDir(), "index.bin")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := built.Encode(f, "bench"); err != nil {
		b.Fatal(err)
	}
	f.Close()
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
