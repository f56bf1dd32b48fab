package synth

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/planar"
)

// CompoundOptions tune Compounds. The zero value takes the defaults.
type CompoundOptions struct {
	// LinkM is how far apart, in metres between their bounding boxes,
	// two buildings of a grid may stand and still join one compound
	// (default 17: Jinjiang's buildings stand 11.7 m apart on their 35 m
	// lattice side by side, and 16.5 m corner to corner).
	LinkM float64
	// BufferM is the yard kept around a compound's buildings, in metres
	// (default 5); it shrinks, down to a quarter, where the grid's border
	// or another building is nearer.
	BufferM float64
	// MaxBuildings caps the buildings of one compound (default 12).
	MaxBuildings int
}

func (o CompoundOptions) withDefaults() CompoundOptions {
	if o.LinkM <= 0 {
		o.LinkM = 17
	}
	if o.BufferM <= 0 {
		o.BufferM = 5
	}
	if o.MaxBuildings <= 0 {
		o.MaxBuildings = 12
	}
	return o
}

// CompoundLevel is the level property of the compounds Compounds makes.
const CompoundLevel = "compound"

// ErrCompounds marks buildings that Compounds cannot group: a building whose
// parent is no grid given.
var ErrCompounds = errors.New("synth: compounds")

// Compounds makes a compound (小区) layer between grids and their buildings:
// within each grid, clusters of nearby buildings (at most LinkM apart, at
// most MaxBuildings each) become one compound, a rectangle in (lon, lat)
// around the cluster's buildings widened by a yard of BufferM metres, that
// lies inside the grid and overlaps no other compound and no building of
// another compound. A building that no rectangle fits around alone (one
// against its grid's border) is a compound of its own footprint. Every
// building thus belongs to one compound, and the layer, like the buildings,
// does not tile its parent (geo.Layer.Partial).
//
// Coordinates are (lon, lat), WGS84 degrees; the rectangles' corners are on
// the 1e-7° lattice (rounded inwards), so that they are exact when written
// with 7 decimals. A compound's code is its grid's code and "9" and three
// digits (9001, 9002, … in the grid), its name the grid's name and "第N小区",
// its households the sum of its buildings'. rebuilt holds a copy of every
// building, in the order given, whose parent (and "parent" property) is its
// compound's code; the input is not changed.
func Compounds(grids, buildings []*geo.Grid, o CompoundOptions) (compounds, rebuilt []*geo.Grid, err error) {
	o = o.withDefaults()
	byCode := make(map[string]*geo.Grid, len(grids))
	for _, g := range grids {
		byCode[g.Code] = g
	}
	kids := map[string][]int{}
	var order []string
	for i, b := range buildings {
		if byCode[b.Parent] == nil {
			return nil, nil, fmt.Errorf("%w: building %s: parent %q is no grid", ErrCompounds, b.Code, b.Parent)
		}
		if kids[b.Parent] == nil {
			order = append(order, b.Parent)
		}
		kids[b.Parent] = append(kids[b.Parent], i)
	}
	parent := make([]string, len(buildings))
	for _, code := range order {
		c := newClusterer(byCode[code], buildings, kids[code], o)
		for _, cl := range c.run() {
			cg := c.compound(cl)
			compounds = append(compounds, cg)
			for _, i := range cl.members {
				parent[i] = cg.Code
			}
		}
	}
	rebuilt = make([]*geo.Grid, len(buildings))
	for i, b := range buildings {
		nb := *b
		nb.Parent = parent[i]
		nb.Props = maps.Clone(b.Props)
		if nb.Props == nil {
			nb.Props = map[string]any{}
		}
		nb.Props["parent"] = nb.Parent
		rebuilt[i] = &nb
	}
	return compounds, rebuilt, nil
}

// cluster is one compound being made: its buildings (positions in the
// buildings given) and its rectangle; own is true for a compound that is
// its one building's footprint.
type cluster struct {
	members []int
	box     orb.Bound
	own     bool
}

// clusterer groups the buildings of one grid.
type clusterer struct {
	grid      *geo.Grid
	buildings []*geo.Grid
	idx       []int       // the grid's buildings
	bounds    []orb.Bound // their bounds, by position in idx
	done      []bool
	clusters  []*cluster
	kx, ky    float64 // metres per degree at the grid
	o         CompoundOptions
	seq       int
}

func newClusterer(grid *geo.Grid, buildings []*geo.Grid, idx []int, o CompoundOptions) *clusterer {
	c := &clusterer{grid: grid, buildings: buildings, idx: idx, done: make([]bool, len(idx)), o: o}
	c.kx, c.ky = geo.MetresPerDegree(grid.Bound().Center()[1])
	for _, i := range idx {
		c.bounds = append(c.bounds, buildings[i].Bound())
	}
	return c
}

// run grows a compound from each building not yet in one, in file order,
// taking in the nearest building within LinkM while its rectangle still
// fits.
func (c *clusterer) run() []*cluster {
	for k := range c.idx {
		if c.done[k] {
			continue
		}
		c.done[k] = true
		cl := &cluster{members: []int{k}}
		box, ok := c.fit(cl.members, c.bounds[k])
		if !ok {
			cl.own = true
			c.clusters = append(c.clusters, cl)
			continue
		}
		cl.box = box
		c.clusters = append(c.clusters, cl)
		tried := map[int]bool{}
		for len(cl.members) < c.o.MaxBuildings {
			j := c.nearestFree(cl, tried)
			if j < 0 {
				break
			}
			tried[j] = true
			members, b := c.absorb(append(cl.members[:len(cl.members):len(cl.members)], j))
			if len(members) > c.o.MaxBuildings {
				continue
			}
			if box, ok := c.fit(members, b); ok {
				cl.members, cl.box = members, box
				for _, m := range members {
					c.done[m] = true
				}
			}
		}
	}
	for _, cl := range c.clusters {
		for k, m := range cl.members {
			cl.members[k] = c.idx[m]
		}
	}
	return c.clusters
}

// absorb adds to members every building not yet in a compound that the
// rectangle around them (with the full yard) would overlap, until none is
// left, so that a compound takes in the buildings in its yard rather than
// stop at them; it returns the members and their buildings' bounds.
func (c *clusterer) absorb(members []int) ([]int, orb.Bound) {
	b := c.bounds[members[0]]
	for _, m := range members[1:] {
		b = b.Union(c.bounds[m])
	}
	for grew := true; grew && len(members) <= c.o.MaxBuildings; {
		grew = false
		box := c.widen(b, c.o.BufferM)
		for k, kb := range c.bounds {
			if !c.done[k] && overlaps(box, kb) && !slices.Contains(members, k) {
				members = append(members, k)
				b = b.Union(kb)
				grew = true
			}
		}
	}
	return members, b
}

// nearestFree returns the building not in a compound nor tried that stands
// nearest to cl's buildings, within LinkM; -1 when none does.
func (c *clusterer) nearestFree(cl *cluster, tried map[int]bool) int {
	best, bestD := -1, c.o.LinkM
	for k := range c.idx {
		if c.done[k] || tried[k] {
			continue
		}
		for _, m := range cl.members {
			if d := c.gapM(c.bounds[k], c.bounds[m]); d <= bestD {
				best, bestD = k, d
			}
		}
	}
	return best
}

// gapM is the distance in metres between two bounds (0 when they meet).
func (c *clusterer) gapM(a, b orb.Bound) float64 {
	dx := math.Max(0, math.Max(a.Min[0]-b.Max[0], b.Min[0]-a.Max[0])) * c.kx
	dy := math.Max(0, math.Max(a.Min[1]-b.Max[1], b.Min[1]-a.Max[1])) * c.ky
	return math.Hypot(dx, dy)
}

// fit returns the rectangle of a compound of members, whose buildings'
// bounds are b: b widened by the yard, or a narrower yard down to a quarter
// of it, whichever first lies inside the grid and overlaps no building but
// members and no other compound.
func (c *clusterer) fit(members []int, b orb.Bound) (orb.Bound, bool) {
	for _, f := range []float64{1, 0.5, 0.25} {
		box := c.widen(b, c.o.BufferM*f)
		if c.free(box, members) && c.inside(box) {
			return box, true
		}
	}
	return orb.Bound{}, false
}

// widen returns b widened by m metres on every side, its corners rounded
// inwards to the 1e-7° lattice.
func (c *clusterer) widen(b orb.Bound, m float64) orb.Bound {
	const q = 1e7
	return orb.Bound{
		Min: orb.Point{math.Ceil((b.Min[0]-m/c.kx)*q) / q, math.Ceil((b.Min[1]-m/c.ky)*q) / q},
		Max: orb.Point{math.Floor((b.Max[0]+m/c.kx)*q) / q, math.Floor((b.Max[1]+m/c.ky)*q) / q},
	}
}

// free reports whether box overlaps (more than touches) no building of the
// grid but members and no compound made so far (a footprint compound by its
// bounds).
func (c *clusterer) free(box orb.Bound, members []int) bool {
	for k, b := range c.bounds {
		if overlaps(box, b) && !slices.Contains(members, k) {
			return false
		}
	}
	for _, cl := range c.clusters {
		other := cl.box
		if cl.own {
			other = c.bounds[cl.members[0]]
		}
		if overlaps(box, other) && !slices.Contains(members, cl.members[0]) {
			return false
		}
	}
	return true
}

// inside reports whether box lies inside the grid: the grid clipped to the
// box keeps all of the box's area.
func (c *clusterer) inside(box orb.Bound) bool {
	in := planar.Area(clip.MultiPolygon(box, c.grid.Geom.Clone()))
	whole := (box.Max[0] - box.Min[0]) * (box.Max[1] - box.Min[1])
	return in >= whole*(1-1e-9)
}

// overlaps reports whether a and b share more than a border.
func overlaps(a, b orb.Bound) bool {
	return a.Min[0] < b.Max[0] && b.Min[0] < a.Max[0] && a.Min[1] < b.Max[1] && b.Min[1] < a.Max[1]
}

// compound returns the grid of cl, the next compound of the grid.
func (c *clusterer) compound(cl *cluster) *geo.Grid {
	c.seq++
	g := &geo.Grid{
		Code:   fmt.Sprintf("%s9%03d", c.grid.Code, c.seq),
		Name:   fmt.Sprintf("%s第%d小区", c.grid.Name, c.seq),
		Level:  CompoundLevel,
		Parent: c.grid.Code,
	}
	if cl.own {
		g.Geom = c.buildings[cl.members[0]].Geom.Clone()
	} else {
		g.Geom = orb.MultiPolygon{cl.box.ToPolygon()}
	}
	households := 0.0
	for _, m := range cl.members {
		switch h := c.buildings[m].Props["households"].(type) {
		case float64:
			households += h
		case int:
			households += float64(h)
		}
	}
	g.Props = map[string]any{"code": g.Code, "name": g.Name, "level": g.Level, "parent": g.Parent, "households": households}
	return g
}
