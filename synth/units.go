package synth

import (
	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// minUncovered is the share of a grid's area that its finer grids must
// leave uncovered for the rest to be a place of its own: a grid tiled by
// its children (Jiangyin's towns by villages…) leaves at most the
// importer's tolerance, far below 1 %, while Jinjiang's buildings cover
// a few tens of per cent of their grids.
const minUncovered = 0.01

// unit is one place an incident may fall in: a grid of a leaf layer, or
// the part of a grid that its finer grids leave uncovered (the streets
// and yards between the buildings of a partial layer, or a whole grid
// without buildings), its children then being holes.
type unit struct {
	grid       *geo.Grid
	bound      orb.Bound
	holes      []*geo.Grid
	holeBounds []orb.Bound
}

// newUnit returns the unit of g less holes.
func newUnit(g *geo.Grid, holes []*geo.Grid) unit {
	u := unit{grid: g, bound: g.Bound(), holes: holes}
	for _, h := range holes {
		u.holeBounds = append(u.holeBounds, h.Bound())
	}
	return u
}

// units returns the places of d that incidents fall in and their weights:
// every grid of the leaf layers (finest first, each in file order),
// weighted by its "households" property (1 when it has none), then every
// grid of a coarser layer whose children cover less than 1 - minUncovered
// of its area, weighted by its households times the share left
// uncovered. It reads no Layer.Partial flag: it measures the areas, so a
// version reloaded from the store (without the flag) gives the same.
func units(d *geo.Dataset) ([]unit, []float64) {
	var us []unit
	var ws []float64
	for _, l := range d.Leaves() {
		for _, g := range l.Grids {
			us = append(us, newUnit(g, nil))
			ws = append(ws, households(g))
		}
	}
	kids := childrenByParent(d)
	for i := len(d.Layers) - 1; i >= 0; i-- {
		l := d.Layers[i]
		if len(d.Children(l.Name)) == 0 {
			continue // a leaf layer, above
		}
		for _, g := range l.Grids {
			holes := kids[parentKey{l.Name, g.Code}]
			free := uncovered(g, holes)
			if free < minUncovered {
				continue
			}
			us = append(us, newUnit(g, holes))
			ws = append(ws, households(g)*free)
		}
	}
	return us, ws
}

// parentKey names a grid by its layer and code.
type parentKey struct{ layer, code string }

// childrenByParent returns the grids of every layer by their parent grid.
func childrenByParent(d *geo.Dataset) map[parentKey][]*geo.Grid {
	m := map[parentKey][]*geo.Grid{}
	for _, l := range d.Layers {
		if l.Parent == "" {
			continue
		}
		for _, g := range l.Grids {
			k := parentKey{l.Parent, g.Parent}
			m[k] = append(m[k], g)
		}
	}
	return m
}

// uncovered returns the share of g's area (planar, in degrees², which is
// a fair measure of a share within one grid) that kids leave uncovered,
// kids being disjoint and inside g as the importer checks.
func uncovered(g *geo.Grid, kids []*geo.Grid) float64 {
	a := planar.Area(g.Geom)
	if a <= 0 {
		return 0
	}
	covered := 0.0
	for _, k := range kids {
		covered += planar.Area(k.Geom)
	}
	return max(1-covered/a, 0)
}

// households returns g's "households" property, or 1 when it has none.
func households(g *geo.Grid) float64 {
	if h, ok := g.Props["households"].(float64); ok && h > 0 {
		return h
	}
	return 1
}

// inUnit reports whether (lon, lat), WGS84, is in u: in its grid by geo's
// boundary rule and in none of its holes.
func (u *unit) inUnit(p orb.Point) bool {
	if !geo.Contains(u.grid.Geom, p) {
		return false
	}
	for i, h := range u.holes {
		if u.holeBounds[i].Contains(p) && geo.Contains(h.Geom, p) {
			return false
		}
	}
	return true
}
