package synth_test

import (
	"context"
	"io"
	"testing"
)

// BenchmarkWriteLayer writes the micro grids of the bundled sample (7,123
// features, 280k vertices) once per op.
func BenchmarkWriteLayer(b *testing.B) {
	s := sampleSource(b)
	li := len(s.Layers) - 1
	lat := s.NewLattice(4, 0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.WriteLayer(context.Background(), io.Discard, li, 1, lat); err != nil {
			b.Fatal(err)
		}
	}
}
