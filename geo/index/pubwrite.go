package index

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"unsafe"
)

// errBigEndian: the file holds the arrays as they lie in memory on a
// little-endian processor, and this one is not.
var errBigEndian = errors.New("index: published index files need a little-endian processor")

// littleEndian is true on a processor that stores the low byte first.
var littleEndian = func() bool {
	probe := uint16(1)
	return *(*byte)(unsafe.Pointer(&probe)) == 1
}()

// Encode writes x as a published index file (see pubformat.go) naming key,
// which LoadIndex must be given to accept the file. It returns the bytes
// written. The arrays are written as they lie in memory; Encode reads them
// twice, once for the checksums and once to write them.
func (x *Index) Encode(w io.Writer, key string) (int64, error) {
	defer runtime.KeepAlive(x) // see "Memory outside the heap" in doc.go
	if !littleEndian {
		return 0, errBigEndian
	}
	if len(key) > maxKeyLen {
		return 0, fmt.Errorf("index: key of %d bytes, more than %d", len(key), maxKeyLen)
	}
	secs, data := x.sections()
	h := fileHeader{Format: fileFormat, Layers: uint32(len(x.layers)), Sections: uint32(len(secs)), KeyLen: uint32(len(key)), ChunkShift: chunkShift}
	copy(h.Magic[:], fileMagic)
	h.DataOff = alignUp(h.tableEnd()+4*sumCount(secs)+4, sectionAlign)
	h.FileLen = h.DataOff
	for i := range secs {
		h.FileLen = alignUp(h.FileLen, sectionAlign)
		secs[i].Off = h.FileLen
		h.FileLen += secs[i].Len
	}
	var meta bytes.Buffer
	binary.Write(&meta, binary.LittleEndian, &h)
	meta.WriteString(key)
	meta.Write(make([]byte, alignUp(uint64(len(key)), 8)-uint64(len(key))))
	binary.Write(&meta, binary.LittleEndian, x.layerRecords())
	binary.Write(&meta, binary.LittleEndian, secs)
	binary.Write(&meta, binary.LittleEndian, chunkSums(data))
	binary.Write(&meta, binary.LittleEndian, crc32.Checksum(meta.Bytes(), crcTable))
	meta.Write(make([]byte, h.DataOff-uint64(meta.Len())))
	n, err := w.Write(meta.Bytes())
	written := int64(n)
	if err != nil {
		return written, err
	}
	err = eachDataPiece(secs, data, h.DataOff, func(p []byte) error {
		n, err := w.Write(p)
		written += int64(n)
		return err
	})
	return written, err
}

// sections returns the section table of x, offsets relative to the data
// area and without alignment yet (set by Encode), and the bytes of each
// section.
func (x *Index) sections() ([]section, [][]byte) {
	var secs []section
	var data [][]byte
	add := func(l, kind int, b []byte) {
		secs = append(secs, section{Kind: uint32(kind), Layer: uint32(l), Len: uint64(len(b))})
		data = append(data, b)
	}
	for l, li := range x.layers {
		c := li.cells
		add(l, secCells, asBytes(c.cells))
		add(l, secBorder, asBytes(c.border))
		var blocks []uint64
		var subs []uint32
		if c.hot != nil {
			blocks, subs = c.hot.blocks, c.hot.subs
		}
		add(l, secHotBlocks, asBytes(blocks))
		add(l, secHotSubs, asBytes(subs))
		add(l, secParent, asBytes(li.parent))
		add(l, secUp, asBytes(li.up))
	}
	return secs, data
}

// layerRecords returns the record of every layer of x.
func (x *Index) layerRecords() []layerRecord {
	out := make([]layerRecord, len(x.layers))
	for i, li := range x.layers {
		c, l := li.cells, x.data.Layers[i]
		r := layerRecord{
			Grids: uint64(len(l.Grids)), Vertices: uint64(l.Vertices()), ParentLayer: int64(li.parentLayer),
			MinX: c.minX, MinY: c.minY, InvW: c.invW, InvH: c.invH, CellW: c.cellW, CellH: c.cellH,
			NX: int64(c.nx), NY: int64(c.ny), MaxAbsLat: c.maxAbsLat, MinKx: c.minKx,
		}
		if c.hot != nil {
			r.HotNBX = int64(c.hot.nbx)
			if c.hot.large {
				r.HotLarge = 1
			}
		}
		out[i] = r
	}
	return out
}

// asBytes returns the memory of s as bytes.
func asBytes[T uint32 | int32 | uint64](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var zero T
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(zero)))
}

// zeros pads between sections.
var zeros [sectionAlign]byte

// eachDataPiece calls f with the bytes of the data area in order: each
// section's, and the zeros before it.
func eachDataPiece(secs []section, data [][]byte, dataOff uint64, f func([]byte) error) error {
	pos := dataOff
	for i, s := range secs {
		if pad := s.Off - pos; pad > 0 {
			if err := f(zeros[:pad]); err != nil {
				return err
			}
		}
		if len(data[i]) > 0 {
			if err := f(data[i]); err != nil {
				return err
			}
		}
		pos = s.Off + s.Len
	}
	return nil
}

// chunkSums returns the CRC-32C of every chunk of every section, in order.
func chunkSums(data [][]byte) []uint32 {
	var sums []uint32
	for _, b := range data {
		for len(b) > 0 {
			n := min(len(b), 1<<chunkShift)
			sums = append(sums, crc32.Checksum(b[:n], crcTable))
			b = b[n:]
		}
	}
	return sums
}
