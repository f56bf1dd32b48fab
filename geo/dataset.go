package geo

import (
	"errors"
	"fmt"
	"sort"
)

// ErrLayerCycle is returned when the parent links of layers form a cycle.
var ErrLayerCycle = errors.New("parent links between layers form a cycle")

// Dataset is the set of layers of one version, ordered coarse to fine: every
// layer comes after the layer that holds its parents. Layers form one or more
// trees by their parent links.
type Dataset struct {
	// Layers are ordered coarse → fine (parents first).
	Layers []*Layer

	byName map[string]int
}

// NewDataset links layers to their parent layers and orders them coarse →
// fine. A layer's parent layer is the other layer that holds the most of its
// grids' parent codes; a layer whose grids name no parent found in another
// layer is a root. Layer names must be unique.
func NewDataset(layers []*Layer) (*Dataset, error) {
	seen := map[string]bool{}
	for _, l := range layers {
		if l.Name == "" {
			return nil, errors.New("layer with an empty name")
		}
		if seen[l.Name] {
			return nil, fmt.Errorf("layer %q given twice", l.Name)
		}
		seen[l.Name] = true
	}
	for _, l := range layers {
		// written only when it changes: a layer may be shared with a
		// dataset being served (read by background work meanwhile)
		if p := parentLayer(l, layers); l.Parent != p {
			l.Parent = p
		}
	}
	ordered, err := orderLayers(layers)
	if err != nil {
		return nil, err
	}
	d := &Dataset{Layers: ordered}
	d.reindex()
	return d, nil
}

func (d *Dataset) reindex() {
	d.byName = make(map[string]int, len(d.Layers))
	for i, l := range d.Layers {
		d.byName[l.Name] = i
	}
}

// parentLayer returns the name of the layer (other than l) holding the most
// parent codes of l's grids, or "" when none holds any.
func parentLayer(l *Layer, layers []*Layer) string {
	best, bestN := "", 0
	for _, o := range layers {
		if o == l {
			continue
		}
		n := 0
		for _, g := range l.Grids {
			if g.Parent != "" && o.Index(g.Parent) >= 0 {
				n++
			}
		}
		if n > bestN || (n == bestN && n > 0 && o.Name < best) {
			best, bestN = o.Name, n
		}
	}
	return best
}

// orderLayers sorts layers so that parents come first; among layers of the
// same depth the order is by name, so the result does not depend on input
// order.
func orderLayers(layers []*Layer) ([]*Layer, error) {
	byName := map[string]*Layer{}
	for _, l := range layers {
		byName[l.Name] = l
	}
	depth := map[string]int{}
	var visit func(l *Layer, stack int) (int, error)
	visit = func(l *Layer, stack int) (int, error) {
		if d, ok := depth[l.Name]; ok {
			return d, nil
		}
		if stack > len(layers) {
			return 0, fmt.Errorf("%w: layer %q", ErrLayerCycle, l.Name)
		}
		d := 0
		if p := byName[l.Parent]; p != nil {
			pd, err := visit(p, stack+1)
			if err != nil {
				return 0, err
			}
			d = pd + 1
		}
		depth[l.Name] = d
		return d, nil
	}
	out := append([]*Layer(nil), layers...)
	for _, l := range out {
		if _, err := visit(l, 0); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		di, dj := depth[out[i].Name], depth[out[j].Name]
		if di != dj {
			return di < dj
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// Layer returns the layer with the given name, or nil.
func (d *Dataset) Layer(name string) *Layer {
	i := d.LayerIndex(name)
	if i < 0 {
		return nil
	}
	return d.Layers[i]
}

// LayerIndex returns the position in Layers of the layer with the given
// name, or -1.
func (d *Dataset) LayerIndex(name string) int {
	if d.byName == nil {
		d.reindex()
	}
	i, ok := d.byName[name]
	if !ok {
		return -1
	}
	return i
}

// Children returns the names of the layers whose parent layer is name.
func (d *Dataset) Children(name string) []string {
	var out []string
	for _, l := range d.Layers {
		if l.Parent == name {
			out = append(out, l.Name)
		}
	}
	return out
}

// Leaves returns the layers that are no other layer's parent: the finest
// layer of each branch, finest first by depth.
func (d *Dataset) Leaves() []*Layer {
	isParent := map[string]bool{}
	for _, l := range d.Layers {
		if l.Parent != "" {
			isParent[l.Parent] = true
		}
	}
	var out []*Layer
	for i := len(d.Layers) - 1; i >= 0; i-- {
		if !isParent[d.Layers[i].Name] {
			out = append(out, d.Layers[i])
		}
	}
	return out
}

// Depth returns the number of parent links from layer name up to its root.
func (d *Dataset) Depth(name string) int {
	n := 0
	for l := d.Layer(name); l != nil && l.Parent != ""; l = d.Layer(l.Parent) {
		n++
		if n > len(d.Layers) {
			break
		}
	}
	return n
}

// Root returns the name of the root layer of the tree that holds layer name.
func (d *Dataset) Root(name string) string {
	l := d.Layer(name)
	for i := 0; l != nil && l.Parent != "" && i <= len(d.Layers); i++ {
		l = d.Layer(l.Parent)
	}
	if l == nil {
		return ""
	}
	return l.Name
}
