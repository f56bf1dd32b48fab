package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"unsafe"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// flatLayer is one layer read from the meta section, its points still to
// be read.
type flatLayer struct {
	layer  *geo.Layer
	points []orb.Point
}

// decodeFlat reads a layers file of format 2 (flat.go) of size bytes from r.
// The sizes in its header must add up to size, so nothing is allocated
// beyond what the file holds, and the meta section is parsed only once its
// checksum matches; the dataset is returned only when every chunk
// sum matches and every position is a WGS84 lon/lat.
func decodeFlat(r io.Reader, size int64) (*geo.Dataset, error) {
	hdr := make([]byte, flatHeaderSize)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, fmt.Errorf("%w: header: %v", errFlat, err)
	}
	le := binary.LittleEndian
	if le.Uint32(hdr[36:]) != crc32.Checksum(hdr[:36], flatCRC) {
		return nil, fmt.Errorf("%w: header: %w", errFlat, errChecksum)
	}
	if f := le.Uint32(hdr[8:]); f != flatFormat {
		return nil, fmt.Errorf("%w %d, this build reads %d", errFormat, f, flatFormat)
	}
	layers, metaLen, points := uint64(le.Uint32(hdr[12:])), le.Uint64(hdr[16:]), le.Uint64(hdr[24:])
	body := uint64(size) - flatHeaderSize
	if size < flatHeaderSize+4 || metaLen > body || points > body/16 || layers > metaLen {
		return nil, fmt.Errorf("%w: header: %d layers, %d meta bytes, %d points in a file of %d bytes", errFlat, layers, metaLen, points, size)
	}
	data := metaLen + 16*points
	chunks := (data + 1<<flatChunkShift - 1) >> flatChunkShift
	if want := flatHeaderSize + data + 4*chunks + 4; want != uint64(size) {
		return nil, fmt.Errorf("%w: header: %d meta bytes and %d points make a file of %d bytes, not %d", errFlat, metaLen, points, want, size)
	}
	sums := &chunkWriter{w: io.Discard}
	meta := make([]byte, metaLen)
	if _, err := io.ReadFull(r, meta); err != nil {
		return nil, fmt.Errorf("%w: meta: %v", errFlat, err)
	}
	sums.Write(meta)
	if crc32.Checksum(meta, flatCRC) != le.Uint32(hdr[32:]) {
		return nil, fmt.Errorf("%w: meta: %w", errFlat, errChecksum)
	}
	mr := &metaReader{b: meta}
	fls := make([]flatLayer, 0, layers)
	left := points
	for range layers {
		fl := mr.layer(&left)
		if mr.err != nil {
			return nil, mr.err
		}
		fls = append(fls, fl)
	}
	if mr.off != len(meta) || left != 0 {
		return nil, fmt.Errorf("%w: meta: %d bytes and %d points left over", errFlat, len(meta)-mr.off, left)
	}
	for _, fl := range fls {
		b := pointBytes(fl.points)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, fmt.Errorf("%w: points of layer %s: %v", errFlat, fl.layer.Name, err)
		}
		sums.Write(b)
	}
	trailer := make([]byte, 4*chunks+4)
	if _, err := io.ReadFull(r, trailer); err != nil {
		return nil, fmt.Errorf("%w: checksums: %v", errFlat, err)
	}
	if err := checkFlatSums(hdr, trailer, sums.sums()); err != nil {
		return nil, err
	}
	out := make([]*geo.Layer, 0, len(fls))
	for _, fl := range fls {
		if !littleEndian {
			swapPoints(fl.points)
		}
		for _, g := range fl.layer.Grids {
			if err := checkPositions(g.Geom); err != nil {
				return nil, fmt.Errorf("layer %s grid %s: %w", fl.layer.Name, g.Code, err)
			}
		}
		out = append(out, fl.layer)
	}
	return geo.NewDataset(out)
}

// isFlat reports whether the file f, read from its start, is a flat
// layers file, leaving f at its start.
func isFlat(f io.ReadSeeker) (bool, error) {
	magic := make([]byte, len(flatMagic))
	n, err := io.ReadFull(f, magic)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return false, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return false, err
	}
	return string(magic[:n]) == flatMagic, nil
}

// checkFlatSums compares the chunk sums read (trailer) with those computed
// (got), and the trailer's own sum.
func checkFlatSums(hdr, trailer, got []byte) error {
	n := len(trailer) - 4
	if len(got) != n {
		return fmt.Errorf("%w: %d chunk sums for %d chunks", errFlat, n/4, len(got)/4)
	}
	own := crc32.Update(crc32.Checksum(hdr, flatCRC), flatCRC, trailer[:n])
	if binary.LittleEndian.Uint32(trailer[n:]) != own {
		return fmt.Errorf("%w: %w of the header and chunk sums", errFlat, errChecksum)
	}
	for i := 0; i < n; i += 4 {
		if !bytes.Equal(trailer[i:i+4], got[i:i+4]) {
			return fmt.Errorf("%w: %w of bytes %d–%d", errFlat, errChecksum, uint64(i/4)<<flatChunkShift, uint64(i/4+1)<<flatChunkShift)
		}
	}
	return nil
}

// layer reads one layer's meta: its grids, their properties and the shape
// of their geometry over points still to be read (*left of the file's
// points are not yet taken by a layer).
func (r *metaReader) layer(left *uint64) flatLayer {
	name := string(r.bytes("layer name"))
	partial := r.byte1("partial flag") != 0
	grids := r.uvarint("grid count", r.left())
	polys := r.uvarint("polygon count", r.left())
	rings := r.uvarint("ring count", r.left())
	pts := r.uvarint("point count", *left)
	if r.err != nil {
		return flatLayer{}
	}
	*left -= uint64(pts)
	keys := r.keys()
	gs := make([]geo.Grid, grids)
	ptrs := make([]*geo.Grid, grids)
	polyBuf := make([]orb.Polygon, polys)
	ringBuf := make([]orb.Ring, rings)
	pointBuf := make([]orb.Point, pts)
	var pi, ri, pt int
	for i := range gs {
		g := &gs[i]
		r.strings(g)
		np := r.uvarint("polygons of a grid", uint64(polys-pi))
		g.Geom = orb.MultiPolygon(polyBuf[pi : pi+np : pi+np])
		pi += np
		for j := range g.Geom {
			nr := r.uvarint("rings of a polygon", uint64(rings-ri))
			g.Geom[j] = ringBuf[ri : ri+nr : ri+nr]
			ri += nr
			for k := range g.Geom[j] {
				n := r.uvarint("points of a ring", uint64(pts-pt))
				g.Geom[j][k] = pointBuf[pt : pt+n : pt+n]
				pt += n
			}
		}
		g.Props = r.props(keys)
		if r.err != nil {
			r.err = fmt.Errorf("layer %s grid %d: %w", name, i, r.err)
			return flatLayer{}
		}
		ptrs[i] = g
	}
	if pi != polys || ri != rings || pt != pts {
		r.fail("layer %s: its grids have %d polygons, %d rings, %d points; it says %d, %d, %d", name, pi, ri, pt, polys, rings, pts)
		return flatLayer{}
	}
	l := geo.NewLayer(name, ptrs)
	l.Partial = partial
	return flatLayer{layer: l, points: pointBuf}
}

// strings reads a grid's code, name, level and parent into g, as
// substrings of one allocation.
func (r *metaReader) strings(g *geo.Grid) {
	start := r.off
	var spans [4][2]int
	for i, what := range [...]string{"code", "name", "level", "parent"} {
		b := r.bytes(what)
		spans[i] = [2]int{r.off - len(b) - start, r.off - start}
	}
	if r.err != nil {
		return
	}
	s := string(r.b[start:r.off])
	g.Code, g.Name, g.Level, g.Parent = s[spans[0][0]:spans[0][1]], s[spans[1][0]:spans[1][1]], s[spans[2][0]:spans[2][1]], s[spans[3][0]:spans[3][1]]
}

// littleEndian is true on little-endian machines, where the points
// section is read in place.
var littleEndian = func() bool { x := uint16(1); return *(*byte)(unsafe.Pointer(&x)) == 1 }()

// swapPoints turns points read as little-endian bytes into the machine's
// order.
func swapPoints(pts []orb.Point) {
	for i, p := range pts {
		for j := range p {
			var b [8]byte
			binary.NativeEndian.PutUint64(b[:], math.Float64bits(p[j]))
			pts[i][j] = math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
		}
	}
}
