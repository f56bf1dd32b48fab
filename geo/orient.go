package geo

import "math/big"

// Orient returns the sign of the orientation of the triangle (a, b, c), all
// (lon, lat) in any planar coordinate system: +1 when c lies to the left of
// the directed line a→b (counter-clockwise), -1 when to the right, 0 when the
// three points are collinear. The sign is exact: a fast floating-point
// evaluation is used when its error bound proves the sign, and an exact
// rational evaluation otherwise.
func Orient(ax, ay, bx, by, cx, cy float64) int {
	detl := (bx - ax) * (cy - ay)
	detr := (by - ay) * (cx - ax)
	det := detl - detr
	// Error bound of the floating-point determinant (after Shewchuk's
	// ccwerrboundA, with the rounding of the differences folded in).
	bound := (abs(detl) + abs(detr)) * 4e-16
	if det > bound {
		return 1
	}
	if -det > bound {
		return -1
	}
	if detl == 0 && detr == 0 {
		return 0
	}
	return orientExact(ax, ay, bx, by, cx, cy)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// orientExact evaluates the orientation determinant in exact rational
// arithmetic. It is slow and only reached for points within a few ulps of a
// line.
func orientExact(ax, ay, bx, by, cx, cy float64) int {
	r := func(f float64) *big.Rat { return new(big.Rat).SetFloat64(f) }
	bxax := new(big.Rat).Sub(r(bx), r(ax))
	cyay := new(big.Rat).Sub(r(cy), r(ay))
	byay := new(big.Rat).Sub(r(by), r(ay))
	cxax := new(big.Rat).Sub(r(cx), r(ax))
	l := new(big.Rat).Mul(bxax, cyay)
	rr := new(big.Rat).Mul(byay, cxax)
	return l.Cmp(rr)
}
