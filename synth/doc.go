// Package synth makes synthetic provinces for benchmarks: N offset copies of
// one county's nested grid layers (county → towns → villages → grids →
// microgrids), laid out on a square-ish lattice so that no two copies
// overlap, with new codes and names.
//
// Copy k (1-based) is the source moved by whole multiples of the county's
// bounding-box width and height plus a margin, in degrees: column (k-1) mod
// cols, row (k-1) / cols, with cols = ⌈√N⌉. Every code that starts with the
// source county's 6-digit prefix (320281 for Jiangyin) gets the copy's prefix
// instead, 900000+k, in both "code" and "parent", so that the copies form
// N separate trees with the same shape; names get the suffix "-k". Other
// properties are copied as they are.
//
// Vertices are moved by the same offset and rounded to 1e-7 degrees, so a
// vertex shared by two grids of the source is still shared, bit for bit, in
// every copy. Coordinates are (lon, lat), WGS84 degrees.
//
// Write streams: the source layers are held once in memory (about 20 MB for
// Jiangyin) and each output feature is encoded into a small reused buffer, so
// 100 copies (≈712k micro grids, ≈1.7 GB of GeoJSON) need no more memory than
// one.
package synth
