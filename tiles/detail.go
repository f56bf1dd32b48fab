package tiles

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// DefaultDetailM is the default Options.DetailM: half a metre, about the
// precision of grid boundaries drawn on 1:2000 base maps or walked with a
// phone's GPS.
const DefaultDetailM = 0.5

// earthCircumference is the equator's length in metres (WGS84), the side
// of the unit Mercator square.
const earthCircumference = 40075016.686

// DetailZoom returns the last zoom whose tiles carry detail: from it on,
// the simplification of every layer keeps every vertex that deviates by at
// least Options.DetailM (ground metres) from its simplified border, and
// tile coordinates are finer than that too, so a tile of a higher zoom
// shows nothing its parent at this zoom does not. TileJSON gives it as
// maxzoom, so that clients overzoom its tiles rather than fetch deeper
// ones (tiles deeper than it are still made, for clients that ask). It is
// at least the first zoom of every layer and at most MaxZoom.
func (s *Source) DetailZoom() int { return s.detailZoom }

// computeDetailZoom computes DetailZoom of the layers of s, whose bound
// is set.
func (s *Source) computeDetailZoom() int {
	z := 0
	for _, l := range s.layers {
		z = max(z, l.minZoom)
	}
	if len(s.layers) == 0 {
		return MaxZoom
	}
	// ground metres → units of the unit Mercator square at the data's
	// latitude
	floor := s.opts.DetailM / (earthCircumference * math.Cos(s.bound.Center()[1]*math.Pi/180))
	ext := float64(s.opts.Extent)
	// tile coordinates are rounded to 1/(extent·2^z): finer than floor
	z = max(z, int(math.Ceil(math.Log2(1/(ext*floor)))))
	if s.opts.Tolerance > 0 {
		sig := math.Inf(1)
		for _, l := range s.layers {
			for _, a := range l.topo.arcs {
				sig = min(sig, leastSignificance(a, floor))
			}
		}
		// the first zoom whose tolerance, tolerance/(extent·2^z) units,
		// is below sig keeps every vertex of significance ≥ floor
		if !math.IsInf(sig, 1) {
			z = max(z, int(math.Floor(math.Log2(s.opts.Tolerance/(ext*sig))))+1)
		}
	}
	return min(max(z, 0), MaxZoom)
}

// leastSignificance returns the least deviation, in the units of a, at
// which Douglas–Peucker (as orb's simplify.DouglasPeucker, which keeps a
// vertex whose distance from the chord is above the tolerance) splits arc
// a, over the splits at distances of at least floor: a tolerance below it
// keeps every vertex that deviates by floor or more. +Inf when no vertex
// does.
func leastSignificance(a []orb.Point, floor float64) float64 {
	least := math.Inf(1)
	if len(a) < 3 {
		return least
	}
	stack := []int{0, len(a) - 1}
	for len(stack) > 0 {
		start, end := stack[len(stack)-2], stack[len(stack)-1]
		stack = stack[:len(stack)-2]
		far, at := 0.0, 0
		for i := start + 1; i < end; i++ {
			if d := planar.DistanceFromSegmentSquared(a[start], a[end], a[i]); d > far {
				far, at = d, i
			}
		}
		if d := math.Sqrt(far); at > 0 && d >= floor {
			least = min(least, d)
			stack = append(stack, start, at, at, end)
		}
	}
	return least
}
