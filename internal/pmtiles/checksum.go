package pmtiles

import "hash/crc32"

// ChecksumKey is the metadata key under which gridmap records the
// Checksums of an archive it writes.
const ChecksumKey = "gridmap:crc32c"

// Checksums are the CRC-32C sums of an archive's leaf directories and
// tile data, recorded in its metadata (which precedes them) so that a
// reader can tell a damaged file from a sound one.
type Checksums struct {
	Leaves   uint32 `json:"leaves"`
	TileData uint32 `json:"tile_data"`
}

// castagnoli is the CRC-32C table (hardware-accelerated on amd64 and
// arm64: gigabytes a second).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Checksum returns the CRC-32C of b.
func Checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// UpdateChecksum returns crc updated with b (Checksum of a stream).
func UpdateChecksum(crc uint32, b []byte) uint32 { return crc32.Update(crc, castagnoli, b) }
