package importer

import (
	"context"
	"testing"
)

// BenchmarkImportJiangyin reads and checks the five Jiangyin layers
// (9,000 polygons, 520,000 positions) from their files.
func BenchmarkImportJiangyin(b *testing.B) {
	srcs := setSources(b, "jiangyin", jiangyinLayers...)
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
	srcs := []Source{ParseSource(badFile(b, "04_overlap.geojson"))}
	base := jiangyin(b)
	b.ReportAllocs()
	for b.Loop() {
		Import(context.Background(), srcs, base, Options{Merge: true})
	}
}

// BenchmarkImportJinjiang reads and checks the five Jinjiang layers, the
// buildings partial.
func BenchmarkImportJinjiang(b *testing.B) {
	srcs := setSources(b, "jinjiang", "county", "towns", "villages", "grids", "buildings")
	b.ReportAllocs()
	for b.Loop() {
		if _, rep, err := Import(context.Background(), srcs, nil, Options{Partial: []string{"buildings"}}); err != nil {
			b.Fatalf("%v\n%s", err, rep.Text())
		}
	}
}
