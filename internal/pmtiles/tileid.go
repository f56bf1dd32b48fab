package pmtiles

// ZxyToID returns the PMTiles tile id of tile z/x/y (Web Mercator tile
// coordinates, XYZ scheme: y grows southwards): the number of tiles of
// all lower zooms, (4^z − 1) / 3, plus the position of (x, y) along the
// Hilbert curve of order z. Tiles of one zoom sort by it in Hilbert
// order, and every tile of zoom z comes before any of zoom z+1. z is at
// most 31; x and y are below 2^z.
func ZxyToID(z uint8, x, y uint32) uint64 {
	id := (uint64(1)<<(2*uint(z)) - 1) / 3
	n := uint32(1) << z
	for s := n >> 1; s > 0; s >>= 1 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		id += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		x, y = hilbertRotate(n, x, y, rx, ry)
	}
	return id
}

// hilbertRotate turns the quadrant (rx, ry) of a square of side n so that
// the curve within it runs as in the next order: the lower-left quadrant
// is mirrored along its diagonal, the lower-right one along the other
// diagonal. Only the bits below the current quadrant size matter after.
func hilbertRotate(n, x, y, rx, ry uint32) (uint32, uint32) {
	if ry != 0 {
		return x, y
	}
	if rx != 0 {
		x, y = n-1-x, n-1-y
	}
	return y, x
}
