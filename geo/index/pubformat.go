package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math/bits"
)

// A published index is the Index of one version written once (WriteIndex)
// and read back by every later start (LoadIndex) instead of being built
// again. The arrays of the index are written as they lie in memory, so that
// a reader can use them in place (over a memory-mapped file, say). The file
// is little-endian:
//
//	header      fileHeader (48 bytes)
//	key         KeyLen bytes, padded with zeros to a multiple of 8
//	layers      one layerRecord per layer of the dataset
//	sections    Sections × section (24 bytes each)
//	chunk sums  for each section in order, one CRC-32C (Castagnoli) per
//	            chunk of 1<<ChunkShift bytes of it, the last chunk short
//	header sum  the CRC-32C of everything above, then zeros up to DataOff
//	data        the sections' bytes, each at an offset that is a multiple
//	            of sectionAlign, zeros between them
//
// The key names what the index belongs to (a version and the hash of its
// manifest); a reader that expects another key refuses the file. The header
// sum is checked at every load; the chunk sums cover every byte of every
// section and are checked at load too, in parallel (see LoadIndex), which
// also reads the file into memory before the first lookup.
const (
	fileMagic  = "gmindex\x00"
	fileFormat = 1
	// sectionAlign is the alignment of every section in the file: a page,
	// so that a section can be mapped, advised or copied on its own.
	sectionAlign = 4096
	// chunkShift sets the chunks that the sections' sums cover: 16 MiB,
	// small enough to verify a province's gigabytes on every core, large
	// enough that the sums of 5 GB take 1.3 kB.
	chunkShift = 24
	// maxKeyLen, maxLayers and maxSections bound what a header may declare,
	// so that a damaged one cannot ask for gigabytes before its sum is
	// checked.
	maxKeyLen   = 1 << 12
	maxLayers   = 1 << 10
	maxSections = sectionsPerLayer * maxLayers
)

// Errors of published index files, matched with errors.Is. Each names why
// a file cannot be used; the caller then builds the index.
var (
	// ErrNotIndexFile: the file does not start with the magic bytes.
	ErrNotIndexFile = errors.New("not a published index file")
	// ErrIndexFormat: the file is of another format version.
	ErrIndexFormat = errors.New("published index of another format")
	// ErrIndexKey: the file belongs to another version (its key differs),
	// or to another dataset (its layers' counts differ).
	ErrIndexKey = errors.New("published index of another version")
	// ErrIndexDamaged: the file is truncated, its checksums fail, or its
	// header is inconsistent.
	ErrIndexDamaged = errors.New("published index damaged")
)

// crcTable is the CRC-32C table; the standard library computes it with the
// processor's instruction where there is one.
var crcTable = crc32.MakeTable(crc32.Castagnoli)

// fileHeader is the fixed start of the file.
type fileHeader struct {
	Magic      [8]byte
	Format     uint32
	Layers     uint32
	Sections   uint32
	KeyLen     uint32
	ChunkShift uint32
	_          uint32
	// DataOff is where the data area starts; FileLen is the whole file's
	// length.
	DataOff uint64
	FileLen uint64
}

// layerRecord holds what an index keeps of one layer besides its arrays.
type layerRecord struct {
	// Grids and Vertices must match the dataset's layer.
	Grids, Vertices uint64
	// ParentLayer is the position of the parent layer, -1 for none.
	ParentLayer            int64
	MinX, MinY, InvW, InvH float64
	CellW, CellH           float64
	NX, NY                 int64
	MaxAbsLat, MinKx       float64
	// HotNBX is the blocks per row of the hot level, 0 for none.
	HotNBX   int64
	HotLarge uint64
}

// section places one array of one layer in the data area.
type section struct {
	Kind  uint32
	Layer uint32
	Off   uint64
	Len   uint64
}

// The kinds of section: every layer has one of each, in this order (an
// absent array has length 0).
const (
	secCells = iota + 1
	secBorder
	secHotBlocks
	secHotSubs
	secParent
	secUp
	sectionsPerLayer = secUp
)

// elemSize returns the size of one element of a section of kind k, 0 for
// an unknown kind.
func elemSize(k uint32) uint64 {
	switch k {
	case secCells, secHotSubs, secParent, secUp:
		return 4
	case secBorder, secHotBlocks:
		return 8
	}
	return 0
}

var (
	headerSize  = uint64(binary.Size(fileHeader{}))
	layerSize   = uint64(binary.Size(layerRecord{}))
	sectionSize = uint64(binary.Size(section{}))
)

// fileLayout is a parsed header: everything but the data.
type fileLayout struct {
	fileHeader
	key      string
	layers   []layerRecord
	sections []section
	sums     []uint32
}

// alignUp rounds n up to a multiple of a (a power of two).
func alignUp(n, a uint64) uint64 { return (n + a - 1) &^ (a - 1) }

// chunks returns the number of chunks of a data area of n bytes.
func chunks(n uint64) uint64 { return (n + 1<<chunkShift - 1) >> chunkShift }

// tableEnd returns the offset just past the section table of a file whose
// fixed header is h.
func (h *fileHeader) tableEnd() uint64 {
	return headerSize + alignUp(uint64(h.KeyLen), 8) + uint64(h.Layers)*layerSize + uint64(h.Sections)*sectionSize
}

// sumCount returns the number of chunk sums of secs.
func sumCount(secs []section) uint64 {
	n := uint64(0)
	for _, s := range secs {
		n += chunks(s.Len)
	}
	return n
}

// parseLayout reads the header of the file b, checks its sum and its
// consistency (every section within the data area, aligned, of whole
// elements, in layer and kind order) and returns it. It never reads past
// b, whatever b holds.
func parseLayout(b []byte) (*fileLayout, error) {
	var fl fileLayout
	h := &fl.fileHeader
	if uint64(len(b)) < headerSize {
		if len(b) < len(fileMagic) || string(b[:len(fileMagic)]) != fileMagic {
			return nil, ErrNotIndexFile
		}
		return nil, fmt.Errorf("%w: %d bytes, shorter than its header", ErrIndexDamaged, len(b))
	}
	if _, err := binary.Decode(b, binary.LittleEndian, h); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrIndexDamaged, err)
	}
	switch {
	case string(h.Magic[:]) != fileMagic:
		return nil, ErrNotIndexFile
	case h.Format != fileFormat:
		return nil, fmt.Errorf("%w: format %d, this program reads %d", ErrIndexFormat, h.Format, fileFormat)
	case h.FileLen != uint64(len(b)):
		return nil, fmt.Errorf("%w: %d bytes, header says %d (truncated?)", ErrIndexDamaged, len(b), h.FileLen)
	case h.ChunkShift != chunkShift || h.KeyLen > maxKeyLen || h.Layers > maxLayers ||
		h.Sections != h.Layers*sectionsPerLayer || h.DataOff > h.FileLen || h.DataOff%sectionAlign != 0 ||
		h.tableEnd() > h.DataOff:
		return nil, fmt.Errorf("%w: header fields out of range", ErrIndexDamaged)
	}
	p := headerSize
	fl.key = string(b[p : p+uint64(h.KeyLen)])
	p += alignUp(uint64(h.KeyLen), 8)
	fl.layers = make([]layerRecord, h.Layers)
	p += decodeAll(b[p:], fl.layers)
	fl.sections = make([]section, h.Sections)
	p += decodeAll(b[p:], fl.sections)
	if err := fl.checkSections(); err != nil {
		return nil, err
	}
	end := p + 4*sumCount(fl.sections) + 4
	if end > h.DataOff {
		return nil, fmt.Errorf("%w: header runs past the data (%d > %d)", ErrIndexDamaged, end, h.DataOff)
	}
	if got, want := crc32.Checksum(b[:end-4], crcTable), binary.LittleEndian.Uint32(b[end-4:]); got != want {
		return nil, fmt.Errorf("%w: header checksum %08x, want %08x", ErrIndexDamaged, got, want)
	}
	fl.sums = make([]uint32, sumCount(fl.sections))
	decodeAll(b[p:], fl.sums)
	return &fl, nil
}

// decodeAll decodes b into dst (fixed-size values) and returns the bytes
// read; b holds them (parseLayout checked the header's extent first).
func decodeAll[T any](b []byte, dst []T) uint64 {
	n, err := binary.Decode(b, binary.LittleEndian, dst)
	if err != nil {
		panic(err) // unreachable: metaEnd counted these bytes
	}
	return uint64(n)
}

// checkSections checks that the sections are those of every layer in kind
// order, each aligned and of whole elements, within the data area and in
// file order without overlap.
func (fl *fileLayout) checkSections() error {
	next := fl.DataOff
	for i, s := range fl.sections {
		kind, layer := uint32(i%sectionsPerLayer+1), uint32(i/sectionsPerLayer)
		if s.Kind != kind || s.Layer != layer {
			return fmt.Errorf("%w: section %d is kind %d of layer %d, want kind %d of layer %d", ErrIndexDamaged, i, s.Kind, s.Layer, kind, layer)
		}
		end, carry := bits.Add64(s.Off, s.Len, 0)
		if s.Off%sectionAlign != 0 || s.Len%elemSize(s.Kind) != 0 || s.Off < next || carry != 0 || end > fl.FileLen {
			return fmt.Errorf("%w: section %d (kind %d of layer %d) at %d, %d bytes, is out of place", ErrIndexDamaged, i, s.Kind, s.Layer, s.Off, s.Len)
		}
		next = end
	}
	return nil
}
