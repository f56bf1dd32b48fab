package store

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"unsafe"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// The layers file of format 2 (flat) decodes at the speed of memory: a
// province's 1 GB took 38 s as a gob stream (format 1) and takes about one
// read of the file as flat arrays. Its layout, little-endian:
//
//	header   magic "\x00GMLAYR\n", format u32 (2), layers u32,
//	         meta bytes u64, points u64, CRC-32C of the meta section,
//	         CRC-32C of the header's bytes before it
//	meta     per layer: name, partial byte, grids, polygons, rings and
//	         points (uvarints), its property key table, then per grid
//	         code, name, level, parent, polygon count, each polygon's
//	         ring count, each ring's point count, and its properties
//	         (flatprops.go); strings as uvarint length and bytes
//	points   every layer's points one after another, (lon, lat) as two
//	         float64, WGS84/CGCS2000 degrees exactly as imported
//	trailer  CRC-32C (Castagnoli) of each 16 MiB chunk of meta and points,
//	         then the CRC-32C of the header and those sums
//
// A gob stream never starts with a zero byte (its first byte is a message
// length), so the magic tells the formats apart. The checksums are checked
// as the file is read (the instruction runs at memory speed), the header's
// and the meta's before anything they say is used, so loading a flat file
// needs no SHA-256 of it: SHA256SUMS still lists it, for Verify
// and for sha256sum -c.
const (
	flatFormat     = 2
	flatMagic      = "\x00GMLAYR\n"
	flatHeaderSize = 40
	flatChunkShift = 24
)

// flatCRC is the CRC-32C table (SSE4.2 or ARMv8 CRC instructions).
var flatCRC = crc32.MakeTable(crc32.Castagnoli)

// errFlat is the error of a flat layers file that is not sound.
var errFlat = errors.New("flat layers file")

// encodeFlat writes d as a layers file of format 2.
func encodeFlat(w io.Writer, d *geo.Dataset) error {
	var meta []byte
	var points uint64
	for _, l := range d.Layers {
		var err error
		if meta, err = appendLayerMeta(meta, l); err != nil {
			return err
		}
		points += uint64(l.Vertices())
	}
	hdr := make([]byte, flatHeaderSize)
	copy(hdr, flatMagic)
	le := binary.LittleEndian
	le.PutUint32(hdr[8:], flatFormat)
	le.PutUint32(hdr[12:], uint32(len(d.Layers)))
	le.PutUint64(hdr[16:], uint64(len(meta)))
	le.PutUint64(hdr[24:], points)
	le.PutUint32(hdr[32:], crc32.Checksum(meta, flatCRC))
	le.PutUint32(hdr[36:], crc32.Checksum(hdr[:36], flatCRC))
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := &chunkWriter{w: bw}
	if _, err := bw.Write(hdr); err != nil {
		return err
	}
	if _, err := cw.Write(meta); err != nil {
		return err
	}
	buf := make([]byte, 0, 1<<16)
	for _, l := range d.Layers {
		for _, g := range l.Grids {
			for _, p := range g.Geom {
				for _, r := range p {
					for _, pt := range r {
						buf = le.AppendUint64(buf, math.Float64bits(pt[0]))
						buf = le.AppendUint64(buf, math.Float64bits(pt[1]))
						if len(buf) >= cap(buf)-16 {
							if _, err := cw.Write(buf); err != nil {
								return err
							}
							buf = buf[:0]
						}
					}
				}
			}
		}
	}
	if _, err := cw.Write(buf); err != nil {
		return err
	}
	trailer := cw.sums()
	trailer = le.AppendUint32(trailer, crc32.Update(crc32.Checksum(hdr, flatCRC), flatCRC, trailer))
	if _, err := bw.Write(trailer); err != nil {
		return err
	}
	return bw.Flush()
}

// appendLayerMeta appends the meta of layer l (see the layout above).
func appendLayerMeta(b []byte, l *geo.Layer) ([]byte, error) {
	b = appendString(b, l.Name)
	b = append(b, boolByte(l.Partial))
	var polys, rings int
	for _, g := range l.Grids {
		polys += len(g.Geom)
		for _, p := range g.Geom {
			rings += len(p)
		}
	}
	for _, n := range []int{len(l.Grids), polys, rings, l.Vertices()} {
		b = binary.AppendUvarint(b, uint64(n))
	}
	keys := newKeyTable(l)
	b = keys.append(b)
	for _, g := range l.Grids {
		if err := checkPositions(g.Geom); err != nil {
			return nil, fmt.Errorf("layer %s grid %s: %w", l.Name, g.Code, err)
		}
		for _, s := range [...]string{g.Code, g.Name, g.Level, g.Parent} {
			b = appendString(b, s)
		}
		b = binary.AppendUvarint(b, uint64(len(g.Geom)))
		for _, p := range g.Geom {
			b = binary.AppendUvarint(b, uint64(len(p)))
			for _, r := range p {
				b = binary.AppendUvarint(b, uint64(len(r)))
			}
		}
		var err error
		if b, err = keys.appendProps(b, g.Props); err != nil {
			return nil, fmt.Errorf("layer %s grid %s: properties: %w", l.Name, g.Code, err)
		}
	}
	return b, nil
}

// appendString appends s as its uvarint length and bytes.
func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// chunkWriter writes through to w and sums each 16 MiB chunk of what it
// wrote.
type chunkWriter struct {
	w    io.Writer
	n    uint64
	cur  uint32
	done []uint32
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	for q := p[:n]; len(q) > 0; {
		room := 1<<flatChunkShift - c.n%(1<<flatChunkShift)
		k := min(uint64(len(q)), room)
		c.cur = crc32.Update(c.cur, flatCRC, q[:k])
		c.n += k
		q = q[k:]
		if k == room {
			c.done = append(c.done, c.cur)
			c.cur = 0
		}
	}
	return n, err
}

// sums returns the chunk sums, little-endian, the last partial one too.
func (c *chunkWriter) sums() []byte {
	all := c.done
	if c.n%(1<<flatChunkShift) != 0 {
		all = append(all, c.cur)
	}
	out := make([]byte, 0, 4*len(all)+4)
	for _, s := range all {
		out = binary.LittleEndian.AppendUint32(out, s)
	}
	return out
}

// pointBytes returns the bytes of pts, in place (float64 pairs, the layout
// of the points section on a little-endian machine).
func pointBytes(pts []orb.Point) []byte {
	if len(pts) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&pts[0])), len(pts)*16)
}
