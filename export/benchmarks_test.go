package export_test

import (
	"context"
	"io"
	"testing"

	"github.com/gridmap/gridmap/export"
)

// BenchmarkLayerGeoJSON writes the imported sample's micro grids (7,123
// grids) as GeoJSON once per op.
func BenchmarkLayerGeoJSON(b *testing.B) {
	d := sampleDataset(b)
	l := d.Layers[len(d.Layers)-1]
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := export.LayerGeoJSON(context.Background(), io.Discard, l); err != nil {
			b.Fatal(err)
		}
	}
}
