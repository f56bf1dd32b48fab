package tiles

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
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

// BenchmarkTileZ14Uncached measures what a z14 tile costs when the cache
// misses: render and gzip (Cache with caching off), over every non-empty
// z14 tile of Jiangyin in turn, and reports the median of single calls
// beside the mean.
func BenchmarkTileZ14Uncached(b *testing.B) {
	_, s := jiangyinSource(b)
	c := NewCache(s, CacheOptions{MaxBytes: -1})
	var tiles [][2]int
	for _, tl := range s.TilesOver(14) {
		if raw, _ := s.Tile(14, int(tl.X), int(tl.Y)); len(raw) > 0 {
			tiles = append(tiles, [2]int{int(tl.X), int(tl.Y)})
		}
	}
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tl := tiles[i%len(tiles)]
		t0 := time.Now()
		if _, err := c.Tile(14, tl[0], tl[1]); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds()), "median-ns")
	b.ReportMetric(float64(durs[len(durs)*99/100].Nanoseconds()), "p99-ns")
	b.ReportMetric(float64(len(tiles)), "tiles")
}

// BenchmarkPrerenderZ8to16 renders and gzips every tile of z8–z16 over
// Jiangyin on GOMAXPROCS workers with a fresh Source per iteration (so the
// per-zoom simplification is included, as after a publish); NewSource
// itself is not timed.
func BenchmarkPrerenderZ8to16(b *testing.B) {
	d, _ := jiangyinSource(b)
	b.ReportAllocs()
	var st RenderStats
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := NewSource(d, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		st, err = s.Render(context.Background(), RenderOptions{MinZoom: 8, MaxZoom: 16}, func(maptile.Tile, []byte) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.Tiles), "tiles")
	b.ReportMetric(float64(st.NonEmpty), "non-empty")
}

// BenchmarkDenseTile renders the densest tile of each zoom from the
// buildings' first (z16) to z18: Jinjiang's (by 春熙路, 15,414 buildings of
// a partial layer over 566 grids) beside Jiangyin's (micro grids), in the
// same run. Arcs are simplified before the timer starts; each call
// renders. It reports the tile's bytes and the median of single calls.
func BenchmarkDenseTile(b *testing.B) {
	_, jj := jinjiangSource(b)
	_, jy := jiangyinSource(b)
	sets := []struct {
		name string
		s    *Source
	}{{"jinjiang", jj}, {"jiangyin", jy}}
	for z := 16; z <= 18; z++ {
		for _, set := range sets {
			b.Run(fmt.Sprintf("z%d/%s", z, set.name), func(b *testing.B) {
				at, size := densestTile(b, set.s, z)
				durs := make([]time.Duration, 0, b.N)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					if _, err := set.s.Tile(z, int(at.X), int(at.Y)); err != nil {
						b.Fatal(err)
					}
					durs = append(durs, time.Since(t0))
				}
				b.StopTimer()
				slices.Sort(durs)
				b.ReportMetric(float64(durs[len(durs)/2].Nanoseconds()), "median-ns")
				b.ReportMetric(float64(size), "B/tile")
			})
		}
	}
}

// densest remembers densestTile's answers per Source and zoom, so that
// -count runs scan the zooms once.
var densest = struct {
	sync.Mutex
	m map[*Source]map[int]maptile.Tile
}{m: map[*Source]map[int]maptile.Tile{}}

// densestTile returns the largest tile of zoom z over s's bounds and its
// size in bytes.
func densestTile(tb testing.TB, s *Source, z int) (maptile.Tile, int) {
	tb.Helper()
	densest.Lock()
	defer densest.Unlock()
	if at, ok := densest.m[s][z]; ok {
		raw, err := s.Tile(z, int(at.X), int(at.Y))
		if err != nil {
			tb.Fatal(err)
		}
		return at, len(raw)
	}
	if densest.m[s] == nil {
		densest.m[s] = map[int]maptile.Tile{}
	}
	var at maptile.Tile
	most := 0
	for _, tl := range s.TilesOver(z) {
		raw, err := s.Tile(z, int(tl.X), int(tl.Y))
		if err != nil {
			tb.Fatal(err)
		}
		if len(raw) > most {
			at, most = tl, len(raw)
		}
	}
	densest.m[s][z] = at
	return at, most
}
