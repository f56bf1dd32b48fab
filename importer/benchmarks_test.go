package importer

import (
	"context"
	"testing"
)

// BenchmarkImportJiangyin reads and checks the five Jiangyin layers
// (9,000 polygons, 520,000 positions) from their files.
func BenchmarkImportJiangyin(b *testing.B) {
	needData(b)
	srcs := setSources("jiangyin", jiangyinLayers...)
	b.ReportAllocs()
	for b.Loop() {
		if _, rep, err := Import(context.Background(), srcs, nil, Options{}); err != nil {
			b.Fatalf("%v\n%s", err, rep.Text())
		}
	}
}

// BenchmarkMergeBadFile merges one small defective file over Jiangyin:
// the cost of a clerk's correction.
func BenchmarkMergeBadFile(b *testing.B) {
	base := jiangyin(b)
	srcs := []Source{ParseSource(sharedData + "/bad/04_overlap.geojson")}
	b.ReportAllocs()
	for b.Loop() {
		Import(context.Background(), srcs, base, Options{Merge: true})
	}
}
