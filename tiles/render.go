package tiles

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/gridmap/gridmap/internal/pmtiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// RenderOptions configure Render.
type RenderOptions struct {
	// MinZoom and MaxZoom bound the zooms rendered (inclusive).
	MinZoom, MaxZoom int
	// Workers render tiles in parallel; 0 means GOMAXPROCS.
	Workers int
	// Progress, when set, is called after each zoom with the tiles done
	// and the total, from one goroutine.
	Progress func(done, total int)
}

// RenderStats describe a finished Render.
type RenderStats struct {
	// Tiles counts the tiles of the zoom range over the data's bounds;
	// NonEmpty those with a feature.
	Tiles, NonEmpty int
}

// TilesOver returns the tiles of zoom z that cover the data's bounds, in
// PMTiles tile id (Hilbert) order.
func (s *Source) TilesOver(z int) []maptile.Tile {
	b := s.bound
	if b == (orb.Bound{}) {
		return nil // no grid
	}
	lo := maptile.At(orb.Point{b.Min[0], b.Max[1]}, maptile.Zoom(z))
	hi := maptile.At(orb.Point{b.Max[0], b.Min[1]}, maptile.Zoom(z))
	var out []maptile.Tile
	for x := lo.X; x <= hi.X; x++ {
		for y := lo.Y; y <= hi.Y; y++ {
			out = append(out, maptile.New(x, y, maptile.Zoom(z)))
		}
	}
	slices.SortFunc(out, func(a, b maptile.Tile) int {
		return cmp.Compare(pmtiles.ZxyToID(uint8(a.Z), a.X, a.Y), pmtiles.ZxyToID(uint8(b.Z), b.X, b.Y))
	})
	return out
}

// Render renders every tile of the zoom range over the data's bounds on
// o.Workers goroutines and calls emit with each, gzipped, in PMTiles tile id
// order (zoom by zoom, Hilbert order within a zoom), from one goroutine.
// Empty tiles are passed with a nil body. It stops at the first error of
// rendering or emit, or when ctx ends.
func (s *Source) Render(ctx context.Context, o RenderOptions, emit func(t maptile.Tile, gz []byte) error) (RenderStats, error) {
	var st RenderStats
	if o.MinZoom < 0 || o.MaxZoom > MaxZoom || o.MinZoom > o.MaxZoom {
		return st, fmt.Errorf("%w: zooms %d..%d not within 0..%d", ErrTileOutOfRange, o.MinZoom, o.MaxZoom, MaxZoom)
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var all []maptile.Tile
	for z := o.MinZoom; z <= o.MaxZoom; z++ {
		all = append(all, s.TilesOver(z)...)
	}
	st.Tiles = len(all)
	type result struct {
		gz  []byte
		err error
	}
	results := make([]chan result, len(all))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	// A window bounds the tiles rendered ahead of the one being emitted.
	window := make(chan struct{}, 4*workers)
	jobs := make(chan int)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel() // unblocks the feeder, which closes jobs
		wg.Wait()
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t := all[i]
				raw, err := s.Tile(int(t.Z), int(t.X), int(t.Y))
				var gz []byte
				if err == nil && len(raw) > 0 {
					gz, err = Gzip(raw)
				}
				results[i] <- result{gz, err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range all {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	z := -1
	for i, t := range all {
		var r result
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			return st, ctx.Err()
		}
		<-window
		if r.err != nil {
			return st, r.err
		}
		if o.Progress != nil && int(t.Z) != z && z >= 0 {
			o.Progress(i, len(all))
		}
		z = int(t.Z)
		if len(r.gz) > 0 {
			st.NonEmpty++
		}
		if err := emit(t, r.gz); err != nil {
			return st, err
		}
	}
	if o.Progress != nil {
		o.Progress(len(all), len(all))
	}
	return st, nil
}
