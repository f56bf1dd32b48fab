package pmtiles_test

import (
	"math/rand/v2"
	"testing"

	"github.com/gridmap/gridmap/internal/pmtiles"
	ref "github.com/protomaps/go-pmtiles/pmtiles"
)

// BenchmarkBuildDirectories builds the directories of 20,000 entries (five
// leaves), with go-pmtiles' BuildDirectories alongside for comparison.
func BenchmarkBuildDirectories(b *testing.B) {
	entries := synthEntries(rand.New(rand.NewPCG(15, 20000)), 20000)
	b.Run("internal", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, _, err := pmtiles.BuildDirectories(entries, maxRoot); err != nil {
				b.Fatal(err)
			}
		}
	})
	refEntries := make([]ref.EntryV3, len(entries))
	for i, e := range entries {
		refEntries[i] = ref.EntryV3(e)
	}
	b.Run("go-pmtiles", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			ref.BuildDirectories(refEntries, maxRoot, ref.Gzip)
		}
	})
}
