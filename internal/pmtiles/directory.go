package pmtiles

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
)

// Entry is one entry of a directory. In a tile entry (RunLength ≥ 1) the
// tiles TileID … TileID+RunLength−1 all have the body of Length bytes at
// Offset in the tile data section. In a leaf entry (RunLength 0) the leaf
// directory of Length bytes at Offset in the leaf directory section holds
// the entries from TileID on.
type Entry struct {
	TileID    uint64
	Offset    uint64
	Length    uint32
	RunLength uint32
}

// AppendEntries appends the uncompressed directory of entries, sorted by
// tile id, to dst: the number of entries, then the tile ids (each as the
// difference from the previous one), the run lengths, the lengths and the
// offsets, each an unsigned varint. An offset is written as 0 when the
// entry's data directly follows the previous entry's, and as offset+1
// otherwise.
func AppendEntries(dst []byte, entries []Entry) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(entries)))
	var last uint64
	for _, e := range entries {
		dst = binary.AppendUvarint(dst, e.TileID-last)
		last = e.TileID
	}
	for _, e := range entries {
		dst = binary.AppendUvarint(dst, uint64(e.RunLength))
	}
	for _, e := range entries {
		dst = binary.AppendUvarint(dst, uint64(e.Length))
	}
	for i, e := range entries {
		if i > 0 && e.Offset == entries[i-1].Offset+uint64(entries[i-1].Length) {
			dst = binary.AppendUvarint(dst, 0)
		} else {
			dst = binary.AppendUvarint(dst, e.Offset+1)
		}
	}
	return dst
}

// compressor gzips directories at gzip.BestCompression, reusing one
// writer and one buffer of raw bytes.
type compressor struct {
	zw  *gzip.Writer
	raw []byte
}

func newCompressor() *compressor {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression) // the level is valid
	return &compressor{zw: zw}
}

// directory returns the gzipped directory of entries.
func (c *compressor) directory(entries []Entry) ([]byte, error) {
	c.raw = AppendEntries(c.raw[:0], entries)
	return c.gzip(c.raw)
}

// gzip returns b gzipped.
func (c *compressor) gzip(b []byte) ([]byte, error) {
	var out bytes.Buffer
	c.zw.Reset(&out)
	if _, err := c.zw.Write(b); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if err := c.zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return out.Bytes(), nil
}
