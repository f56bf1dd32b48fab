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

// BenchmarkPartialCheckJinjiang runs the checks of Jinjiang's 15,414
// buildings (a partial layer) against their grids alone: the exact inside
// test and the sibling overlaps, grids in parallel.
func BenchmarkPartialCheckJinjiang(b *testing.B) {
	srcs := setSources(b, "jinjiang", "county", "towns", "villages", "grids", "buildings")
	ds, rep, err := Import(context.Background(), srcs, nil, Options{Partial: []string{"buildings"}})
	if err != nil {
		b.Fatalf("%v\n%s", err, rep.Text())
	}
	l := ds.Layer("buildings")
	b.ReportAllocs()
	for b.Loop() {
		s := &state{ctx: context.Background(), opts: Options{}.withDefaults(), rep: &Report{Counts: map[string]int{}}, ds: ds}
		lc := &layerCheck{s: s, layer: l, parent: ds.Layer("grids"), ea: newEqualArea(30.6), pairs: map[[2]int]bool{}, prepared: newPrepared(l)}
		lc.run()
		if s.rep.Errors() != 0 {
			b.Fatalf("%s", s.rep.Text())
		}
	}
}
