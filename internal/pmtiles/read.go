package pmtiles

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
)

// ErrFormat is wrapped by every error about bytes that are not a sound
// version 3 archive (or part of one).
var ErrFormat = errors.New("not a PMTiles v3 archive")

// ParseHeader reads the HeaderLen bytes at the start of b as a version 3
// header, the inverse of AppendHeader. The error wraps ErrFormat and names
// the field at fault.
func ParseHeader(b []byte) (Header, error) {
	var h Header
	if len(b) < HeaderLen {
		return h, fmt.Errorf("%w: header: %d bytes, want %d", ErrFormat, len(b), HeaderLen)
	}
	if string(b[:7]) != "PMTiles" {
		return h, fmt.Errorf("%w: header: magic %q", ErrFormat, b[:7])
	}
	if b[7] != 3 {
		return h, fmt.Errorf("%w: header: spec version %d, want 3", ErrFormat, b[7])
	}
	le := binary.LittleEndian
	u := make([]uint64, 11)
	for i := range u {
		u[i] = le.Uint64(b[8+8*i:])
	}
	h.RootOffset, h.RootLength, h.MetadataOffset, h.MetadataLength = u[0], u[1], u[2], u[3]
	h.LeafDirectoryOffset, h.LeafDirectoryLength, h.TileDataOffset, h.TileDataLength = u[4], u[5], u[6], u[7]
	h.AddressedTilesCount, h.TileEntriesCount, h.TileContentsCount = u[8], u[9], u[10]
	p := b[96:]
	h.Clustered = p[0] == 1
	h.InternalCompression, h.TileCompression, h.TileType = Compression(p[1]), Compression(p[2]), TileType(p[3])
	h.MinZoom, h.MaxZoom = p[4], p[5]
	h.MinLonE7, h.MinLatE7 = int32(le.Uint32(p[6:])), int32(le.Uint32(p[10:]))
	h.MaxLonE7, h.MaxLatE7 = int32(le.Uint32(p[14:])), int32(le.Uint32(p[18:]))
	h.CenterZoom = p[22]
	h.CenterLonE7, h.CenterLatE7 = int32(le.Uint32(p[23:])), int32(le.Uint32(p[27:]))
	return h, nil
}

// Section returns the bytes of b from off, n long, or an error wrapping
// ErrFormat naming the section when they are not all within b.
func Section(b []byte, name string, off, n uint64) ([]byte, error) {
	if off > uint64(len(b)) || n > uint64(len(b))-off {
		return nil, fmt.Errorf("%w: %s at %d, %d bytes, beyond the %d-byte file", ErrFormat, name, off, n, len(b))
	}
	return b[off : off+n], nil
}

// Gunzip returns the gzip stream gz decompressed; the error wraps
// ErrFormat.
func Gunzip(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("%w: gzip: %v", ErrFormat, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%w: gzip: %v", ErrFormat, err)
	}
	return b, nil
}

// ReadEntries decodes the uncompressed directory b (AppendEntries'
// layout) into its entries. The error wraps ErrFormat.
func ReadEntries(b []byte) ([]Entry, error) {
	r := bytes.NewReader(b)
	next := func(what string, i int) (uint64, error) {
		v, err := binary.ReadUvarint(r)
		if err != nil {
			return 0, fmt.Errorf("%w: directory: %s of entry %d: %v", ErrFormat, what, i, err)
		}
		return v, nil
	}
	n, err := next("count", 0)
	if err != nil {
		return nil, err
	}
	// every entry takes at least 4 bytes: a longer count is a lie
	if n > uint64(len(b))/4 {
		return nil, fmt.Errorf("%w: directory: %d entries in %d bytes", ErrFormat, n, len(b))
	}
	es := make([]Entry, n)
	var id uint64
	for i := range es {
		d, err := next("tile id", i)
		if err != nil {
			return nil, err
		}
		id += d
		es[i].TileID = id
	}
	for i := range es {
		v, err := next("run length", i)
		if err != nil {
			return nil, err
		}
		es[i].RunLength = uint32(v)
	}
	for i := range es {
		v, err := next("length", i)
		if err != nil {
			return nil, err
		}
		es[i].Length = uint32(v)
	}
	for i := range es {
		v, err := next("offset", i)
		if err != nil {
			return nil, err
		}
		switch {
		case v > 0:
			es[i].Offset = v - 1
		case i == 0:
			return nil, fmt.Errorf("%w: directory: entry 0 has offset 0 (follows nothing)", ErrFormat)
		default:
			es[i].Offset = es[i-1].Offset + uint64(es[i-1].Length)
		}
	}
	return es, nil
}

// FindEntry returns the entry of entries (sorted by tile id) that holds
// tile id: a tile entry whose run covers it, or the leaf entry whose
// directory would hold it. ok is false when none does.
func FindEntry(entries []Entry, id uint64) (e Entry, ok bool) {
	i := sort.Search(len(entries), func(i int) bool { return entries[i].TileID > id }) - 1
	if i < 0 {
		return Entry{}, false
	}
	e = entries[i]
	if e.RunLength == 0 || id < e.TileID+uint64(e.RunLength) {
		return e, true
	}
	return Entry{}, false
}
