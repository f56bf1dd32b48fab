package tiles

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/gridmap/gridmap/internal/pmtiles"
)

// Archive serves the tiles of a PMTiles v3 archive of gzipped MVT (as
// export writes it) from its bytes, typically a memory-mapped file: a
// tile is a directory look-up and a slice of those bytes, no render.
// Leaf directories are decoded on first use and kept. Safe for concurrent
// use; the bytes must stay valid and unchanged while it is used.
type Archive struct {
	b    []byte
	h    pmtiles.Header
	root []pmtiles.Entry
	meta map[string]json.RawMessage

	mu     sync.RWMutex
	leaves map[uint64][]pmtiles.Entry // leaf offset → its entries
}

// maxDirDepth bounds the directory levels followed (the spec allows a
// root and up to three levels of leaves).
const maxDirDepth = 4

// OpenArchive reads the header, root directory and metadata of archive b
// and checks that it holds gzipped MVT tiles, clustered, and that its
// leaf directories and tile data match the CRC-32C sums export records in
// the metadata (pmtiles.ChecksumKey), when it records them. The error
// wraps pmtiles.ErrFormat and names what is wrong.
func OpenArchive(b []byte) (*Archive, error) {
	h, err := pmtiles.ParseHeader(b)
	if err != nil {
		return nil, err
	}
	if h.TileType != pmtiles.Mvt || h.TileCompression != pmtiles.Gzip || h.InternalCompression != pmtiles.Gzip {
		return nil, fmt.Errorf("%w: tile type %d, tile compression %d, internal compression %d; want gzipped MVT", pmtiles.ErrFormat, h.TileType, h.TileCompression, h.InternalCompression)
	}
	a := &Archive{b: b, h: h, leaves: map[uint64][]pmtiles.Entry{}}
	if a.root, err = a.directory("root directory", h.RootOffset, h.RootLength); err != nil {
		return nil, err
	}
	gz, err := pmtiles.Section(b, "metadata", h.MetadataOffset, h.MetadataLength)
	if err != nil {
		return nil, err
	}
	raw, err := pmtiles.Gunzip(gz)
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	if err := json.Unmarshal(raw, &a.meta); err != nil {
		return nil, fmt.Errorf("%w: metadata: %v", pmtiles.ErrFormat, err)
	}
	if err := a.verify(); err != nil {
		return nil, err
	}
	return a, nil
}

// verify checks the leaf directories and the tile data against the sums
// of the metadata, if any.
func (a *Archive) verify() error {
	var sums pmtiles.Checksums
	if err := a.Meta(pmtiles.ChecksumKey, &sums); err != nil || sums == (pmtiles.Checksums{}) {
		return err
	}
	leaves, err := pmtiles.Section(a.b, "leaf directories", a.h.LeafDirectoryOffset, a.h.LeafDirectoryLength)
	if err != nil {
		return err
	}
	data, err := pmtiles.Section(a.b, "tile data", a.h.TileDataOffset, a.h.TileDataLength)
	if err != nil {
		return err
	}
	if got := pmtiles.Checksum(leaves); got != sums.Leaves {
		return fmt.Errorf("%w: leaf directories: CRC-32C %08x, metadata says %08x", pmtiles.ErrFormat, got, sums.Leaves)
	}
	if got := pmtiles.Checksum(data); got != sums.TileData {
		return fmt.Errorf("%w: tile data: CRC-32C %08x, metadata says %08x", pmtiles.ErrFormat, got, sums.TileData)
	}
	return nil
}

// directory decodes the gzipped directory of n bytes at off.
func (a *Archive) directory(name string, off, n uint64) ([]pmtiles.Entry, error) {
	gz, err := pmtiles.Section(a.b, name, off, n)
	if err != nil {
		return nil, err
	}
	raw, err := pmtiles.Gunzip(gz)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	es, err := pmtiles.ReadEntries(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return es, nil
}

// Zooms returns the zoom range of the archive (its header's).
func (a *Archive) Zooms() (minZoom, maxZoom int) { return int(a.h.MinZoom), int(a.h.MaxZoom) }

// Covers reports whether zoom z is in the archive's range: every tile of
// it that the archive lacks is empty.
func (a *Archive) Covers(z int) bool { return z >= int(a.h.MinZoom) && z <= int(a.h.MaxZoom) }

// Meta decodes the metadata value of key into v; a missing key leaves v
// as it is.
func (a *Archive) Meta(key string, v any) error {
	raw, ok := a.meta[key]
	if !ok {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w: metadata %q: %v", pmtiles.ErrFormat, key, err)
	}
	return nil
}

// Tile returns the gzipped MVT of tile z/x/y (Web Mercator, XYZ), a
// slice of the archive's bytes that must not be modified, or nil when the
// archive has no such tile (empty, or outside its zooms). The error wraps
// pmtiles.ErrFormat for a damaged directory.
func (a *Archive) Tile(z, x, y int) ([]byte, error) {
	if z < 0 || z > 31 || x < 0 || y < 0 || x >= 1<<z || y >= 1<<z {
		return nil, nil
	}
	id := pmtiles.ZxyToID(uint8(z), uint32(x), uint32(y))
	dir := a.root
	for range maxDirDepth {
		e, ok := pmtiles.FindEntry(dir, id)
		if !ok {
			return nil, nil
		}
		if e.RunLength > 0 {
			return pmtiles.Section(a.b, "tile", a.h.TileDataOffset+e.Offset, uint64(e.Length))
		}
		var err error
		if dir, err = a.leaf(e); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("%w: more than %d directory levels", pmtiles.ErrFormat, maxDirDepth)
}

// leaf returns the entries of the leaf directory e points to.
func (a *Archive) leaf(e pmtiles.Entry) ([]pmtiles.Entry, error) {
	a.mu.RLock()
	es, ok := a.leaves[e.Offset]
	a.mu.RUnlock()
	if ok {
		return es, nil
	}
	if e.Offset > ^uint64(0)-a.h.LeafDirectoryOffset {
		return nil, fmt.Errorf("%w: leaf directory offset %d", pmtiles.ErrFormat, e.Offset)
	}
	es, err := a.directory("leaf directory", a.h.LeafDirectoryOffset+e.Offset, uint64(e.Length))
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.leaves[e.Offset] = es
	a.mu.Unlock()
	return es, nil
}
