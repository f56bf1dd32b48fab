package export

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gridmap/gridmap/internal/pmtiles"
	"github.com/gridmap/gridmap/tiles"
)

// PMTilesOptions configure PMTiles.
type PMTilesOptions struct {
	// MinZoom and MaxZoom bound the zooms written (inclusive), within
	// 0..tiles.MaxZoom.
	MinZoom, MaxZoom int
	// Workers render tiles in parallel; 0 means GOMAXPROCS.
	Workers int
	// Version, when set, is recorded in the metadata as "gridmap:version".
	Version string
	// Meta holds further metadata entries (keys other than those
	// PMTiles writes itself).
	Meta map[string]any
	// Progress, when set, is called after each zoom with the tiles done
	// and the total, from one goroutine.
	Progress func(done, total int)
}

// PMTilesStats describe a finished archive.
type PMTilesStats struct {
	// Tiles counts the tiles of the zoom range over the data's bounds;
	// NonEmpty those with a feature (the ones written).
	Tiles, NonEmpty int
	// Contents counts distinct tile bodies, Entries directory entries
	// (runs of consecutive identical tiles share one).
	Contents, Entries int
	// Bytes is the size of the file; TileBytes of its tile data (gzip).
	Bytes, TileBytes int64
}

// PMTiles writes every non-empty tile of src over the zoom range of o into
// one PMTiles v3 file at path
// (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md): MVT
// tiles gzipped, clustered (tile data in tile id order), identical tiles
// stored once, directories and metadata gzipped. The metadata is the
// TileJSON of src (vector_layers, bounds, center, zooms) without tile URLs,
// o.Meta, and the CRC-32C of the leaf directories and of the tile data
// (pmtiles.ChecksumKey). Tile data is spooled to a file beside path, and
// the archive is renamed into place when complete.
func PMTiles(ctx context.Context, path string, src *tiles.Source, o PMTilesOptions) (PMTilesStats, error) {
	out, err := createBeside(path, ".pmtiles-*")
	if err != nil {
		return PMTilesStats{}, fmt.Errorf("pmtiles: %w", err)
	}
	defer os.Remove(out.Name())
	defer out.Close()
	st, err := WritePMTiles(ctx, out, filepath.Dir(path), src, o)
	if err != nil {
		return st, err
	}
	if err := commit(out, path); err != nil {
		return st, fmt.Errorf("pmtiles %s: %w", path, err)
	}
	return st, nil
}

// WritePMTiles writes the archive PMTiles describes to w, spooling the
// tile data to a temporary file in spoolDir (the system's temporary
// directory when empty) meanwhile.
func WritePMTiles(ctx context.Context, w io.Writer, spoolDir string, src *tiles.Source, o PMTilesOptions) (PMTilesStats, error) {
	spool, err := os.CreateTemp(spoolDir, ".pmtiles-data-*")
	if err != nil {
		return PMTilesStats{}, fmt.Errorf("pmtiles: %w", err)
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	a := newArchive(spool)
	rs, err := src.Render(ctx, tiles.RenderOptions{MinZoom: o.MinZoom, MaxZoom: o.MaxZoom, Workers: o.Workers, Progress: o.Progress}, a.add)
	st := PMTilesStats{Tiles: rs.Tiles, NonEmpty: rs.NonEmpty}
	if err != nil {
		return st, fmt.Errorf("pmtiles: %w", err)
	}
	if err := a.bw.Flush(); err != nil {
		return st, fmt.Errorf("pmtiles: spool tile data: %w", err)
	}
	st.Contents, st.Entries, st.TileBytes = len(a.offsets), len(a.entries), int64(a.off)
	root, leaves, err := pmtiles.BuildDirectories(a.entries, 16384-pmtiles.HeaderLen)
	if err != nil {
		return st, fmt.Errorf("pmtiles: %w", err)
	}
	sums := pmtiles.Checksums{Leaves: pmtiles.Checksum(leaves), TileData: a.crc}
	meta, err := pmtiles.Metadata(metadata(src, o, sums))
	if err != nil {
		return st, fmt.Errorf("pmtiles: %w", err)
	}
	h := header(src, o, st, len(root), len(meta), len(leaves))
	if err := assemble(w, spool, pmtiles.AppendHeader(nil, h), root, meta, leaves); err != nil {
		return st, fmt.Errorf("pmtiles: %w", err)
	}
	st.Bytes = int64(h.TileDataOffset + h.TileDataLength)
	return st, nil
}

// assemble writes the parts, then the spooled tile data, to out.
func assemble(out io.Writer, spool *os.File, parts ...[]byte) error {
	for _, b := range parts {
		if _, err := out.Write(b); err != nil {
			return err
		}
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("spooled tile data: %w", err)
	}
	_, err := io.Copy(out, spool)
	return err
}
