// Package pmtiles writes the parts of a PMTiles version 3 archive: the
// Hilbert tile id, the 127-byte header, directories (root and leaves) and
// the JSON metadata. It holds only what gridmap's export needs, written
// from the specification,
// https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md,
// and uses only the standard library, so a binary that exports PMTiles
// links no cloud storage SDK.
//
// An archive is laid out as the header, the root directory, the metadata,
// the leaf directories and the tile data; the caller fills Header with the
// offsets and lengths of that layout. Directories and metadata are gzipped
// at gzip.BestCompression, the choice of the reference implementation
// (github.com/protomaps/go-pmtiles), and directories are split into leaves
// as it does, so the bytes written are the same as it writes.
package pmtiles
