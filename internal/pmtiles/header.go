package pmtiles

import "encoding/binary"

// HeaderLen is the length in bytes of a version 3 header, the first bytes
// of an archive.
const HeaderLen = 127

// Compression is the compression of an archive's directories and metadata
// (InternalCompression) or of its tiles (TileCompression).
type Compression uint8

// The compressions of the specification.
const (
	UnknownCompression Compression = 0
	NoCompression      Compression = 1
	Gzip               Compression = 2
	Brotli             Compression = 3
	Zstd               Compression = 4
)

// TileType is the format of an archive's tiles.
type TileType uint8

// The tile types of the specification.
const (
	UnknownTileType TileType = 0
	Mvt             TileType = 1
	Png             TileType = 2
	Jpeg            TileType = 3
	Webp            TileType = 4
	Avif            TileType = 5
)

// Header is the version 3 header of an archive. Offsets are from the
// start of the file except the entries' offsets inside the directories,
// which are relative to the leaf directory and tile data sections.
// Longitudes and latitudes are WGS84 degrees times 10^7.
type Header struct {
	RootOffset, RootLength                   uint64
	MetadataOffset, MetadataLength           uint64
	LeafDirectoryOffset, LeafDirectoryLength uint64
	TileDataOffset, TileDataLength           uint64
	// AddressedTilesCount counts the tiles addressed (run lengths
	// summed), TileEntriesCount the tile entries, TileContentsCount the
	// distinct tile bodies.
	AddressedTilesCount, TileEntriesCount, TileContentsCount uint64
	// Clustered says the tile data is in tile id order.
	Clustered                            bool
	InternalCompression, TileCompression Compression
	TileType                             TileType
	MinZoom, MaxZoom                     uint8
	// MinLonE7, MinLatE7, MaxLonE7 and MaxLatE7 bound the tiles (WGS84,
	// degrees × 10^7).
	MinLonE7, MinLatE7, MaxLonE7, MaxLatE7 int32
	// CenterZoom, CenterLonE7 and CenterLatE7 give the default view
	// (WGS84, degrees × 10^7).
	CenterZoom               uint8
	CenterLonE7, CenterLatE7 int32
}

// AppendHeader appends the HeaderLen bytes of h to dst: the magic
// "PMTiles", the version 3, then every field little-endian in the order of
// the specification.
func AppendHeader(dst []byte, h Header) []byte {
	le := binary.LittleEndian
	dst = append(dst, "PMTiles"...)
	dst = append(dst, 3)
	for _, v := range []uint64{
		h.RootOffset, h.RootLength, h.MetadataOffset, h.MetadataLength,
		h.LeafDirectoryOffset, h.LeafDirectoryLength, h.TileDataOffset, h.TileDataLength,
		h.AddressedTilesCount, h.TileEntriesCount, h.TileContentsCount,
	} {
		dst = le.AppendUint64(dst, v)
	}
	var clustered byte
	if h.Clustered {
		clustered = 1
	}
	dst = append(dst, clustered, byte(h.InternalCompression), byte(h.TileCompression), byte(h.TileType), h.MinZoom, h.MaxZoom)
	for _, v := range []int32{h.MinLonE7, h.MinLatE7, h.MaxLonE7, h.MaxLatE7} {
		dst = le.AppendUint32(dst, uint32(v))
	}
	dst = append(dst, h.CenterZoom)
	dst = le.AppendUint32(dst, uint32(h.CenterLonE7))
	return le.AppendUint32(dst, uint32(h.CenterLatE7))
}
