package geo

import "github.com/paulmach/orb"

// Layer is a named set of grids of one level, for example "microgrids".
type Layer struct {
	// Name is the layer name, by default the base name of its file.
	Name string
	// Parent is the name of the layer that holds the parents of this
	// layer's grids; empty for a root layer.
	Parent string
	// Grids are the features in file order.
	Grids []*Grid
	// Partial is true for a layer whose grids need not tile their parents:
	// buildings (楼栋) or compounds (小区) with streets and yards between
	// them that belong to the grid around them. A point in a parent but in
	// none of a partial layer's grids belongs to the parent's chain alone.
	// Every other rule holds: each grid lies wholly inside its parent and
	// siblings do not overlap.
	Partial bool

	byCode map[string]int
}

// NewLayer returns a layer holding grids. It does not check them; the
// importer does that.
func NewLayer(name string, grids []*Grid) *Layer {
	l := &Layer{Name: name, Grids: grids}
	l.reindex()
	return l
}

func (l *Layer) reindex() {
	l.byCode = make(map[string]int, len(l.Grids))
	for i, g := range l.Grids {
		if _, dup := l.byCode[g.Code]; !dup {
			l.byCode[g.Code] = i
		}
	}
}

// Grid returns the grid with the given code, or nil.
func (l *Layer) Grid(code string) *Grid {
	if l.byCode == nil {
		l.reindex()
	}
	i, ok := l.byCode[code]
	if !ok {
		return nil
	}
	return l.Grids[i]
}

// Index returns the position of the grid with the given code in Grids, or -1.
func (l *Layer) Index(code string) int {
	if l.byCode == nil {
		l.reindex()
	}
	i, ok := l.byCode[code]
	if !ok {
		return -1
	}
	return i
}

// Bound returns the bounding box of all grids of the layer, (lon, lat) degrees.
func (l *Layer) Bound() orb.Bound {
	var b orb.Bound
	for i, g := range l.Grids {
		if i == 0 {
			b = g.Bound()
			continue
		}
		b = b.Union(g.Bound())
	}
	return b
}

// Vertices returns the number of ring positions of all grids of the layer.
func (l *Layer) Vertices() int {
	n := 0
	for _, g := range l.Grids {
		for _, p := range g.Geom {
			for _, r := range p {
				n += len(r)
			}
		}
	}
	return n
}
