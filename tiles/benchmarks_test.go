package tiles

import (
	"testing"

	"github.com/paulmach/orb"
)

// benchTiles benchmarks Source.Tile over the 3×3 tiles of zoom z around
// probe. Arcs are simplified for z before the timer starts (once per Source
// and zoom in use); tiles themselves are not cached, so every call renders.
func benchTiles(b *testing.B, z int) {
	_, s := jiangyinSource(b)
	tiles := around(probe, z)
	bytes := 0
	for _, tl := range tiles {
		t, err := s.Tile(z, int(tl.X), int(tl.Y))
		if err != nil {
			b.Fatal(err)
		}
		bytes += len(t)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tl := tiles[i%len(tiles)]
		if _, err := s.Tile(z, int(tl.X), int(tl.Y)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(bytes)/float64(len(tiles)), "B/tile")
}

func BenchmarkTileZ8(b *testing.B)  { benchTiles(b, 8) }
func BenchmarkTileZ12(b *testing.B) { benchTiles(b, 12) }
func BenchmarkTileZ14(b *testing.B) { benchTiles(b, 14) }
func BenchmarkTileZ17(b *testing.B) { benchTiles(b, 17) }

// BenchmarkSimplifyZoom measures simplifying every arc of the micro grid
// layer for one zoom: the one-off cost of the first tile of a zoom.
func BenchmarkSimplifyZoom(b *testing.B) {
	_, s := jiangyinSource(b)
	l := layerByName(s, "microgrids")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		za := &zoomArcs{topo: l.topo, tolerance: s.opts.Tolerance, extent: float64(s.opts.Extent)}
		za.at(14)
	}
}

// BenchmarkNewSource measures preparing the five Jiangyin layers (arcs,
// R-trees, zooms); loading the GeoJSON is not timed.
func BenchmarkNewSource(b *testing.B) {
	d, _ := jiangyinSource(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := NewSource(d, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLabelPoints measures the poles of inaccessibility of the micro
// grid layer, part of NewSource.
func BenchmarkLabelPoints(b *testing.B) {
	d, _ := jiangyinSource(b)
	l := d.Layer("microgrids")
	geoms := make([]orb.MultiPolygon, len(l.Grids))
	for i, g := range l.Grids {
		geoms[i] = g.Geom
	}
	feats := make([]featureData, len(geoms))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		labelPoints(geoms, feats)
	}
	b.ReportMetric(float64(len(geoms)), "grids")
}
