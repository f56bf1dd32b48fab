package incidents

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// A fixed is a point of the unit Mercator square in 32-bit fixed point:
// x east and y south, each in [0, 2^32), so that bit 31-k of x and y is
// the column and row of the tile of zoom k+1 that holds the point. A step
// is under a centimetre on the ground, and two fixed take 8 bytes where
// two float64 take 16.
type fixed struct{ x, y uint32 }

// fixedScale is 2^32, the side of the unit square in fixed units.
const fixedScale = 1 << 32

// fixedOf returns the fixed point of p, WGS84 lon/lat degrees, clamped to
// the square (latitudes beyond Web Mercator's ±85.05° to its edge).
func fixedOf(p orb.Point) fixed {
	return fixedOfUnit(maptile.Fraction(p, 0))
}

// fixedOfUnit returns the fixed point of u, a point of the unit Mercator
// square (x east, y south, in [0, 1]), clamped to the square.
func fixedOfUnit(u orb.Point) fixed {
	return fixed{toFixed(u[0]), toFixed(u[1])}
}

func toFixed(f float64) uint32 {
	switch v := math.Floor(f * fixedScale); {
	case !(v >= 0): // also NaN
		return 0
	case v >= fixedScale:
		return fixedScale - 1
	default:
		return uint32(v)
	}
}

// in reports whether p lies in tile z/x/y (z ≤ 32).
func (p fixed) in(z, x, y int) bool {
	if z == 0 {
		return true
	}
	sh := 32 - z
	return int(p.x>>sh) == x && int(p.y>>sh) == y
}

// tilePoint returns p in the coordinates of tile z/x/y of the given extent,
// rounded down: [0, extent) on both axes when p is in the tile.
func (p fixed) tilePoint(z, x, y int, extent uint32) (int32, int32) {
	unit := math.Exp2(float64(32 - z)) // fixed units per tile side
	e := float64(extent)
	px := math.Floor((float64(p.x) - float64(x)*unit) * e / unit)
	py := math.Floor((float64(p.y) - float64(y)*unit) * e / unit)
	return int32(px), int32(py)
}

// morton returns the Z-order key of p: the bits of x and y interleaved,
// y's first. The points of a tile of any zoom are one run of keys (see
// mortonRange).
func (p fixed) morton() uint64 { return spread(p.y)<<1 | spread(p.x) }

// spread moves bit i of v to bit 2i.
func spread(v uint32) uint64 {
	x := uint64(v)
	x = (x | x<<16) & 0x0000ffff0000ffff
	x = (x | x<<8) & 0x00ff00ff00ff00ff
	x = (x | x<<4) & 0x0f0f0f0f0f0f0f0f
	x = (x | x<<2) & 0x3333333333333333
	x = (x | x<<1) & 0x5555555555555555
	return x
}

// mortonRange returns the first and last Morton keys of tile z/x/y (z ≤
// 32), inclusive.
func mortonRange(z, x, y int) (lo, hi uint64) {
	if z == 0 {
		return 0, math.MaxUint64
	}
	sh := uint(64 - 2*z)
	prefix := spread(uint32(y))<<1 | spread(uint32(x))
	lo = prefix << sh
	return lo, lo | (1<<sh - 1)
}
