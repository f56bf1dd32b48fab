package export

import (
	"bufio"
	"crypto/sha256"
	"io"
	"math"

	"github.com/gridmap/gridmap/internal/pmtiles"
	"github.com/gridmap/gridmap/tiles"
	"github.com/paulmach/orb/maptile"
)

// archive collects the tile entries of a PMTiles archive while the tile
// data goes to a spool file: a run of identical consecutive tiles is one
// entry, and a body seen before is pointed to, not written again.
type archive struct {
	bw      *bufio.Writer
	entries []pmtiles.Entry
	offsets map[[32]byte]uint64 // SHA-256 of a body → its offset
	off     uint64
	last    [32]byte
	crc     uint32 // CRC-32C of the tile data written
}

func newArchive(spool io.Writer) *archive {
	return &archive{bw: bufio.NewWriterSize(spool, 1<<20), offsets: map[[32]byte]uint64{}}
}

// add records tile t with its gzipped body gz (nil for an empty tile,
// which is left out). Tiles come in tile id order.
func (a *archive) add(t maptile.Tile, gz []byte) error {
	if len(gz) == 0 {
		return nil
	}
	id := pmtiles.ZxyToID(uint8(t.Z), t.X, t.Y)
	h := sha256.Sum256(gz)
	if n := len(a.entries); n > 0 && h == a.last {
		if e := &a.entries[n-1]; e.TileID+uint64(e.RunLength) == id {
			e.RunLength++
			return nil
		}
	}
	a.last = h
	if at, ok := a.offsets[h]; ok {
		a.entries = append(a.entries, pmtiles.Entry{TileID: id, Offset: at, Length: uint32(len(gz)), RunLength: 1})
		return nil
	}
	a.offsets[h] = a.off
	a.entries = append(a.entries, pmtiles.Entry{TileID: id, Offset: a.off, Length: uint32(len(gz)), RunLength: 1})
	a.off += uint64(len(gz))
	a.crc = pmtiles.UpdateChecksum(a.crc, gz)
	_, err := a.bw.Write(gz)
	return err
}

// metadata returns the archive's JSON metadata: the TileJSON of src without
// tile URLs, with the zooms of o, its version and Meta, and sums.
func metadata(src *tiles.Source, o PMTilesOptions, sums pmtiles.Checksums) map[string]any {
	tj := src.TileJSON("")
	meta := map[string]any{
		"name":          tj.Name,
		"format":        "pbf",
		"type":          "overlay",
		"description":   "gridmap grid layers",
		"vector_layers": archiveLayers(tj.VectorLayers, o.MinZoom, o.MaxZoom),
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
	for k, v := range o.Meta {
		if _, ok := meta[k]; !ok {
			meta[k] = v
		}
	}
	meta[pmtiles.ChecksumKey] = sums
	return meta
}

// archiveLayers returns the vector layers of an archive of zooms
// minZoom..maxZoom: each layer's zoom range cut to the archive's, and the
// layers with no zoom in it left out (a reader trusts these ranges to know
// which zooms hold a layer).
func archiveLayers(vls []tiles.VectorLayer, minZoom, maxZoom int) []tiles.VectorLayer {
	out := make([]tiles.VectorLayer, 0, len(vls))
	for _, vl := range vls {
		vl.MinZoom, vl.MaxZoom = max(vl.MinZoom, minZoom), min(vl.MaxZoom, maxZoom)
		if vl.MinZoom <= vl.MaxZoom {
			out = append(out, vl)
		}
	}
	return out
}

// header returns the archive's header: the root directory right after it,
// then the metadata, the leaf directories and the tile data.
func header(src *tiles.Source, o PMTilesOptions, st PMTilesStats, root, meta, leaves int) pmtiles.Header {
	tj := src.TileJSON("")
	e7 := func(v float64) int32 { return int32(math.Round(v * 1e7)) }
	h := pmtiles.Header{
		RootOffset:          pmtiles.HeaderLen,
		RootLength:          uint64(root),
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
		TileEntriesCount:    uint64(st.Entries),
		TileContentsCount:   uint64(st.Contents),
	}
	h.MetadataOffset = h.RootOffset + h.RootLength
	h.MetadataLength = uint64(meta)
	h.LeafDirectoryOffset = h.MetadataOffset + h.MetadataLength
	h.LeafDirectoryLength = uint64(leaves)
	h.TileDataOffset = h.LeafDirectoryOffset + h.LeafDirectoryLength
	h.TileDataLength = uint64(st.TileBytes)
	return h
}
