package synth

import (
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// DefaultMargin is the gap between copies, degrees.
const DefaultMargin = 0.02

// Lattice places copies: Cols columns, rows as needed, each cell the source's
// bounding box plus Margin degrees on its east and north.
type Lattice struct {
	Cols   int
	Step   [2]float64 // degrees between neighbouring copies, (lon, lat)
	Prefix string     // the source prefix that copies replace
}

// NewLattice returns the lattice of n copies of s, margin degrees apart
// (DefaultMargin when margin ≤ 0).
func (s *Source) NewLattice(n int, margin float64) Lattice {
	if margin <= 0 {
		margin = DefaultMargin
	}
	cols := int(math.Ceil(math.Sqrt(float64(n))))
	if cols < 1 {
		cols = 1
	}
	// Steps are rounded up to 1e-4 degrees: short decimals, and moved
	// vertices stay on the source's 1e-7 lattice.
	round := func(v float64) float64 { return math.Ceil(v*1e4) / 1e4 }
	return Lattice{
		Cols:   cols,
		Step:   [2]float64{round(s.Bound.Max[0] - s.Bound.Min[0] + margin), round(s.Bound.Max[1] - s.Bound.Min[1] + margin)},
		Prefix: s.Prefix,
	}
}

// Offset returns the shift of copy k (1-based), degrees (lon, lat).
func (l Lattice) Offset(k int) (dx, dy float64) {
	i := k - 1
	return float64(i%l.Cols) * l.Step[0], float64(i/l.Cols) * l.Step[1]
}

// CopyPrefix returns the code prefix of copy k (1-based): 900000+k.
func CopyPrefix(k int) string { return strconv.Itoa(900000 + k) }

// Code returns code as it is in copy k: the source prefix replaced by the
// copy's. Codes without the prefix get the copy's prefix and a dash in front.
func (l Lattice) Code(k int, code string) string {
	if code == "" {
		return ""
	}
	if strings.HasPrefix(code, l.Prefix) {
		return CopyPrefix(k) + code[len(l.Prefix):]
	}
	return CopyPrefix(k) + "-" + code
}

// Name returns name as it is in copy k.
func Name(k int, name string) string { return name + "-" + strconv.Itoa(k) }

// Move returns the vertex p of copy k: shifted by (dx, dy) and rounded to
// 1e-7 degrees.
func Move(p orb.Point, dx, dy float64) orb.Point {
	return orb.Point{math.Round((p[0]+dx)*1e7) / 1e7, math.Round((p[1]+dy)*1e7) / 1e7}
}

// MoveGeom returns a moved copy of mp.
func MoveGeom(mp orb.MultiPolygon, dx, dy float64) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, p := range mp {
		np := make(orb.Polygon, len(p))
		for j, r := range p {
			nr := make(orb.Ring, len(r))
			for k, v := range r {
				nr[k] = Move(v, dx, dy)
			}
			np[j] = nr
		}
		out[i] = np
	}
	return out
}
