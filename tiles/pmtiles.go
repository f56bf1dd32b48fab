package tiles

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/protomaps/go-pmtiles/pmtiles"
)

// ExportOptions configure WritePMTiles and Render.
type ExportOptions struct {
	// MinZoom and MaxZoom bound the zooms written (inclusive).
	MinZoom, MaxZoom int
	// Workers render tiles in parallel; 0 means GOMAXPROCS.
	Workers int
	// Version, when set, is recorded in the metadata as "gridmap:version".
	Version string
	// Progress, when set, is called after each zoom with the tiles done
	// and the total, from one goroutine.
	Progress func(done, total int)
}

// ExportStats describe a finished export.
type ExportStats struct {
	// Tiles counts the tiles of the zoom range over the data's bounds;
	// NonEmpty those with a feature (the ones written).
	Tiles, NonEmpty int
	// Contents counts distinct tile bodies, Entries directory entries
	// (runs of consecutive identical tiles share one).
	Contents, Entries int
	// Bytes is the size of the file; TileBytes of its tile data (gzip).
	Bytes, TileBytes int64
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
		ia, ib := pmtiles.ZxyToID(uint8(a.Z), a.X, a.Y), pmtiles.ZxyToID(uint8(b.Z), b.X, b.Y)
		switch {
		case ia < ib:
			return -1
		case ia > ib:
			return 1
		}
		return 0
	})
	return out
}

// Render renders every tile of the zoom range over the data's bounds on
// o.Workers goroutines and calls emit with each, gzipped, in PMTiles tile id
// order (zoom by zoom, Hilbert order within a zoom), from one goroutine.
// Empty tiles are passed with a nil body. It stops at the first error of
// rendering or emit, or when ctx ends.
func (s *Source) Render(ctx context.Context, o ExportOptions, emit func(t maptile.Tile, gz []byte) error) (ExportStats, error) {
	var st ExportStats
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

// WritePMTiles writes every non-empty tile of the zoom range over the
// data's bounds into one PMTiles v3 file at path
// (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md): MVT
// tiles gzipped, clustered (tile data in tile id order), identical tiles
// stored once, directories and metadata gzipped. The metadata is the
// TileJSON of s (vector_layers, bounds, center, zooms) without tile URLs.
// The file is written beside path and renamed into place when complete.
func (s *Source) WritePMTiles(ctx context.Context, path string, o ExportOptions) (ExportStats, error) {
	dir := filepath.Dir(path)
	data, err := os.CreateTemp(dir, ".pmtiles-data-*")
	if err != nil {
		return ExportStats{}, err
	}
	defer os.Remove(data.Name())
	defer data.Close()
	bw := bufio.NewWriterSize(data, 1<<20)

	var entries []pmtiles.EntryV3
	offsets := map[[32]byte]uint64{}
	var off uint64
	var last [32]byte
	st, err := s.Render(ctx, o, func(t maptile.Tile, gz []byte) error {
		if len(gz) == 0 {
			return nil
		}
		id := pmtiles.ZxyToID(uint8(t.Z), t.X, t.Y)
		h := sha256.Sum256(gz)
		if n := len(entries); n > 0 && h == last {
			if e := &entries[n-1]; e.TileID+uint64(e.RunLength) == id {
				e.RunLength++
				return nil
			}
		}
		last = h
		if at, ok := offsets[h]; ok {
			entries = append(entries, pmtiles.EntryV3{TileID: id, Offset: at, Length: uint32(len(gz)), RunLength: 1})
			return nil
		}
		offsets[h] = off
		entries = append(entries, pmtiles.EntryV3{TileID: id, Offset: off, Length: uint32(len(gz)), RunLength: 1})
		off += uint64(len(gz))
		_, err := bw.Write(gz)
		return err
	})
	if err != nil {
		return st, err
	}
	if err := bw.Flush(); err != nil {
		return st, err
	}
	st.Contents, st.Entries, st.TileBytes = len(offsets), len(entries), int64(off)

	tj := s.TileJSON("")
	tj.Tiles = nil
	tj.MinZoom, tj.MaxZoom = o.MinZoom, o.MaxZoom
	meta := map[string]any{
		"name":          tj.Name,
		"format":        "pbf",
		"type":          "overlay",
		"description":   "gridmap grid layers",
		"vector_layers": tj.VectorLayers,
		"bounds":        tj.Bounds,
		"center":        tj.Center,
		"minzoom":       o.MinZoom,
		"maxzoom":       o.MaxZoom,
	}
	if tj.Attribution != "" {
		meta["attribution"] = tj.Attribution
	}
	if o.Version != "" {
		meta["gridmap:version"] = o.Version
	}
	// Round-trip the metadata through JSON types, as SerializeMetadata
	// marshals it.
	metaBytes, err := pmtiles.SerializeMetadata(meta, pmtiles.Gzip)
	if err != nil {
		return st, fmt.Errorf("pmtiles metadata: %w", err)
	}
	root, leaves, _ := pmtiles.BuildDirectories(entries, 16384-pmtiles.HeaderV3LenBytes, pmtiles.Gzip)

	e7 := func(v float64) int32 { return int32(math.Round(v * 1e7)) }
	h := pmtiles.HeaderV3{
		SpecVersion:         3,
		RootOffset:          pmtiles.HeaderV3LenBytes,
		RootLength:          uint64(len(root)),
		Clustered:           true,
		InternalCompression: pmtiles.Gzip,
		TileCompression:     pmtiles.Gzip,
		TileType:            pmtiles.Mvt,
		MinZoom:             uint8(o.MinZoom),
		MaxZoom:             uint8(o.MaxZoom),
		MinLonE7:            e7(tj.Bounds[0]),
		MinLatE7:            e7(tj.Bounds[1]),
		MaxLonE7:            e7(tj.Bounds[2]),
		MaxLatE7:            e7(tj.Bounds[3]),
		CenterZoom:          uint8(min(max(int(tj.Center[2]), o.MinZoom), o.MaxZoom)),
		CenterLonE7:         e7(tj.Center[0]),
		CenterLatE7:         e7(tj.Center[1]),
		AddressedTilesCount: uint64(st.NonEmpty),
		TileEntriesCount:    uint64(len(entries)),
		TileContentsCount:   uint64(len(offsets)),
	}
	h.MetadataOffset = h.RootOffset + h.RootLength
	h.MetadataLength = uint64(len(metaBytes))
	h.LeafDirectoryOffset = h.MetadataOffset + h.MetadataLength
	h.LeafDirectoryLength = uint64(len(leaves))
	h.TileDataOffset = h.LeafDirectoryOffset + h.LeafDirectoryLength
	h.TileDataLength = off

	out, err := os.CreateTemp(dir, ".pmtiles-*")
	if err != nil {
		return st, err
	}
	defer os.Remove(out.Name())
	defer out.Close()
	for _, b := range [][]byte{pmtiles.SerializeHeader(h), root, metaBytes, leaves} {
		if _, err := out.Write(b); err != nil {
			return st, err
		}
	}
	if _, err := data.Seek(0, io.SeekStart); err != nil {
		return st, err
	}
	if _, err := io.Copy(out, data); err != nil {
		return st, err
	}
	if err := out.Sync(); err != nil {
		return st, err
	}
	if err := out.Close(); err != nil {
		return st, err
	}
	if err := os.Rename(out.Name(), path); err != nil {
		return st, err
	}
	st.Bytes = int64(h.TileDataOffset + h.TileDataLength)
	return st, nil
}
