package stats

import (
	"math"

	"github.com/gridmap/gridmap/incident"
)

// table interns strings to small integers, in order of first use.
type table struct {
	ids  map[string]uint16
	list []string
}

func newTable(seed ...string) table {
	t := table{ids: make(map[string]uint16)}
	for _, s := range seed {
		t.id(s)
	}
	return t
}

// id returns the number of s, adding it when new. Past 65,535 names every
// new one shares the last number: categories and sources are a handful.
func (t *table) id(s string) uint16 {
	if i, ok := t.ids[s]; ok {
		return i
	}
	if len(t.list) > math.MaxUint16 {
		return math.MaxUint16
	}
	i := uint16(len(t.list))
	t.ids[s] = i
	t.list = append(t.list, s)
	return i
}

// lookup returns the number of s, or false when it was never interned.
func (t *table) lookup(s string) (uint16, bool) {
	i, ok := t.ids[s]
	return i, ok
}

// gridKey names one grid: its layer's number and its code.
type gridKey struct {
	layer uint16
	code  string
}

// names are the interned names of a Ledger: statuses (seeded with
// incident.Statuses, so that their numbers are their index there),
// categories, sources, layers and grids.
type names struct {
	statuses table
	category table
	source   table
	layer    table
	grids    map[gridKey]int32
	// gridLayer, gridCode and gridName describe each grid id; the name is
	// the last one an incident's chain gave.
	gridLayer []uint16
	gridCode  []string
	gridName  []string
	// layerGrids lists the grid ids of each layer.
	layerGrids [][]int32
	// coarse marks, by layer number, the layers that some chain holds
	// above a finer grid: their grids may have children (Result.Between).
	coarse []bool
}

// markCoarse notes that layer number id held a grid above a finer one.
func (n *names) markCoarse(id uint16) {
	for int(id) >= len(n.coarse) {
		n.coarse = append(n.coarse, false)
	}
	n.coarse[id] = true
}

// isCoarse reports whether layer number id ever held a grid above a finer
// one.
func (n *names) isCoarse(id uint16) bool {
	return int(id) < len(n.coarse) && n.coarse[id]
}

// The numbers of the final statuses (their index in incident.Statuses).
var (
	closedID   = statusIndex(incident.Closed)
	rejectedID = statusIndex(incident.Rejected)
)

func statusIndex(s incident.Status) uint8 {
	for i, v := range incident.Statuses {
		if v == s {
			return uint8(i)
		}
	}
	panic("stats: status " + string(s) + " not in incident.Statuses")
}

func newNames() names {
	seed := make([]string, len(incident.Statuses))
	for i, s := range incident.Statuses {
		seed[i] = string(s)
	}
	return names{
		statuses: newTable(seed...),
		category: newTable(),
		source:   newTable(),
		layer:    newTable(),
		grids:    make(map[gridKey]int32),
	}
}

// status returns the number of s; past 255 statuses (never, as the loop has
// nine) new ones share the last.
func (n *names) status(s incident.Status) uint8 {
	return uint8(min(n.statuses.id(string(s)), math.MaxUint8))
}

// grid returns the id of k's grid, adding it when new, and keeps its
// latest name.
func (n *names) grid(k incident.Link) int32 {
	key := gridKey{n.layer.id(k.Layer), k.Code}
	g, ok := n.grids[key]
	if !ok {
		g = int32(len(n.gridCode))
		n.grids[key] = g
		n.gridLayer = append(n.gridLayer, key.layer)
		n.gridCode = append(n.gridCode, k.Code)
		n.gridName = append(n.gridName, k.Name)
		for int(key.layer) >= len(n.layerGrids) {
			n.layerGrids = append(n.layerGrids, nil)
		}
		n.layerGrids[key.layer] = append(n.layerGrids[key.layer], g)
		return g
	}
	if k.Name != "" {
		n.gridName[g] = k.Name
	}
	return g
}

// findGrid returns the id of the grid of that code; when several layers
// have one (codes are unique across layers in the data sets gridmap knows),
// that of the layer first seen.
func (n *names) findGrid(code string) (int32, bool) {
	for l := range n.layer.list {
		if g, ok := n.grids[gridKey{uint16(l), code}]; ok {
			return g, true
		}
	}
	return 0, false
}
