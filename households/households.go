// Package households holds the households (户数) of the grids of one
// version: each grid's own figure, or one rolled up from its children,
// and beside it the households of its children, which for a grid over a
// partial layer (buildings, 楼栋; compounds, 小区) are those "in
// buildings" and need not add up to the grid's own.
//
// The rules, for a grid g of a version:
//   - Households(g) is g's "households" property (a whole number ≥ 0)
//     when it has one;
//   - else the sum of Households over g's children in its child layer (the
//     first by name when its layer has several), when at least one of
//     them has a figure;
//   - else unknown.
//   - InChildren(g) sums Households over g's children in that child
//     layer and counts them (and those with a figure): for Jinjiang's
//     grids, the households in their buildings; for a layer tiled by its
//     children it repeats Households(g) when the data agree.
//
// No grid is counted twice: each child belongs to one parent, and a
// grid's figure comes either from itself or from its children.
package households

import (
	"encoding/json"
	"math"
	"sync"

	"github.com/gridmap/gridmap/geo"
)

// Prop is the feature property holding a grid's households.
const Prop = "households"

// InChildren are the households of a grid's children in one layer.
type InChildren struct {
	// Layer is the child layer (buildings for a Jinjiang grid).
	Layer string `json:"layer"`
	// Households sums the figures of the children that have one.
	Households int `json:"households"`
	// Grids counts the children, Known those with a figure.
	Grids int `json:"grids"`
	Known int `json:"known"`
}

// Count is the households of one grid.
type Count struct {
	// Households is the grid's figure; Known false when it has none.
	Households int
	Known      bool
	// Own is true when Households is the grid's own property, false when
	// it is rolled up from its children.
	Own bool
	// In describes the children (nil for a grid without any).
	In *InChildren
}

// Table holds the counts of every grid of a dataset. It is built on its
// first use and safe for concurrent use; the dataset must not change.
type Table struct {
	d      *geo.Dataset
	once   sync.Once
	counts [][]Count // by layer position, then grid position
}

// New returns the table of d, built on its first Of.
func New(d *geo.Dataset) *Table { return &Table{d: d} }

// Of returns the households of the grid of that layer and code; false
// when the version has no such grid.
func (t *Table) Of(layer, code string) (Count, bool) {
	if t == nil || t.d == nil {
		return Count{}, false
	}
	t.once.Do(t.build)
	li := t.d.LayerIndex(layer)
	if li < 0 {
		return Count{}, false
	}
	gi := t.d.Layers[li].Index(code)
	if gi < 0 {
		return Count{}, false
	}
	return t.counts[li][gi], true
}

// Find returns the layer and the households of the grid of that code in
// the coarsest layer that has one (codes are unique across the layers of
// the data sets gridmap knows); false when none has.
func (t *Table) Find(code string) (string, Count, bool) {
	if t == nil || t.d == nil {
		return "", Count{}, false
	}
	for _, l := range t.d.Layers {
		if c, ok := t.Of(l.Name, code); ok {
			return l.Name, c, true
		}
	}
	return "", Count{}, false
}

// build computes every count, finest layers first so that a parent sees
// its children's figures.
func (t *Table) build() {
	d := t.d
	t.counts = make([][]Count, len(d.Layers))
	for li := len(d.Layers) - 1; li >= 0; li-- {
		l := d.Layers[li]
		cs := make([]Count, len(l.Grids))
		for gi, g := range l.Grids {
			if h, ok := property(g); ok {
				cs[gi] = Count{Households: h, Known: true, Own: true}
			}
		}
		if kids := d.Children(l.Name); len(kids) > 0 {
			t.rollUp(l, cs, d.LayerIndex(kids[0]))
		}
		t.counts[li] = cs
	}
}

// rollUp adds to cs, the counts of layer l, those of its children in the
// layer at position ci (already built), and gives the grids without a
// property of their own their children's sum.
func (t *Table) rollUp(l *geo.Layer, cs []Count, ci int) {
	child := t.d.Layers[ci]
	for gi, g := range child.Grids {
		pi := l.Index(g.Parent)
		if pi < 0 {
			continue
		}
		in := cs[pi].In
		if in == nil {
			in = &InChildren{Layer: child.Name}
			cs[pi].In = in
		}
		in.Grids++
		if c := t.counts[ci][gi]; c.Known {
			in.Known++
			in.Households += c.Households
		}
	}
	for i := range cs {
		if !cs[i].Known && cs[i].In != nil && cs[i].In.Known > 0 {
			cs[i].Households, cs[i].Known = cs[i].In.Households, true
		}
	}
}

// property returns g's households property when it is a whole number
// from 0 to 2^53 (a float64 as decoded JSON, or a json.Number).
func property(g *geo.Grid) (int, bool) {
	var f float64
	switch v := g.Props[Prop].(type) {
	case float64:
		f = v
	case json.Number:
		var err error
		if f, err = v.Float64(); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if f < 0 || f > 1<<53 || f != math.Trunc(f) {
		return 0, false
	}
	return int(f), true
}
