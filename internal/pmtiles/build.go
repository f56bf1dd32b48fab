package pmtiles

import "fmt"

// Leaf sizing, as the reference implementation chooses it (so archives
// come out byte for byte the same): a root of tile entries only when
// there are fewer than maxRootEntries; otherwise leaves of at least
// minLeafEntries entries, or entries/leavesTarget, grown by leafGrowth
// until the root of leaf entries fits.
const (
	maxRootEntries = 16384
	minLeafEntries = 4096
	leavesTarget   = 3500
	leafGrowth     = 1.2
)

// BuildDirectories returns the gzipped root directory and leaf directories
// of entries (sorted by tile id, as for AppendEntries), the root at most
// maxRoot bytes: the spec's 16,384-byte first read less the header is
// 16384 − HeaderLen. When all entries fit in the root there are no leaves
// (leaves is empty); otherwise the root holds one leaf entry per leaf, and
// leaves is the leaf directories one after another.
func BuildDirectories(entries []Entry, maxRoot int) (root, leaves []byte, err error) {
	c := newCompressor()
	if len(entries) < maxRootEntries {
		root, err := c.directory(entries)
		if err != nil {
			return nil, nil, fmt.Errorf("root directory: %w", err)
		}
		if len(root) <= maxRoot {
			return root, nil, nil
		}
	}
	size := max(float32(len(entries))/leavesTarget, minLeafEntries)
	for {
		root, leaves, err := c.split(entries, int(size))
		if err != nil || len(root) <= maxRoot {
			return root, leaves, err
		}
		size *= leafGrowth
	}
}

// split returns the gzipped root and leaf directories of entries in
// leaves of n entries (the last one shorter).
func (c *compressor) split(entries []Entry, n int) (root, leaves []byte, err error) {
	var rootEntries []Entry
	for i := 0; i < len(entries); i += n {
		leaf, err := c.directory(entries[i:min(i+n, len(entries))])
		if err != nil {
			return nil, nil, fmt.Errorf("leaf directory %d: %w", len(rootEntries), err)
		}
		rootEntries = append(rootEntries, Entry{TileID: entries[i].TileID, Offset: uint64(len(leaves)), Length: uint32(len(leaf))})
		leaves = append(leaves, leaf...)
	}
	root, err = c.directory(rootEntries)
	if err != nil {
		return nil, nil, fmt.Errorf("root directory: %w", err)
	}
	return root, leaves, nil
}
