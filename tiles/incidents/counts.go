package incidents

import "github.com/gridmap/gridmap/incident"

// gridTable numbers the grids (layer and code) that incidents' chains and
// snapshots name, keeps each grid's counts, and interns chains, so that an
// incident carries one number for its whole chain.
type gridTable struct {
	ids  map[gridKey]uint32
	keys []gridKey
	// cells[g] counts the incidents whose chain holds grid g, by status
	// and category.
	cells [][]cell
	// chains[c] is chain c as grid numbers, finest first; chainIDs finds
	// a chain by its grid numbers.
	chains   [][]uint32
	chainIDs map[string]uint32
}

// gridKey names a grid.
type gridKey struct{ layer, code string }

// cell counts the incidents of one grid with one status and category.
type cell struct {
	status   uint8
	category uint8
	total    int32
	overdue  int32
}

// noChain stands for "no chain yet" in chainOf.
const noChain = ^uint32(0)

func newGridTable() gridTable {
	return gridTable{ids: map[gridKey]uint32{}, chainIDs: map[string]uint32{}}
}

// grid returns the number of the grid code of layer, adding it.
func (t *gridTable) grid(layer, code string) uint32 {
	k := gridKey{layer, code}
	if g, ok := t.ids[k]; ok {
		return g
	}
	g := uint32(len(t.keys))
	t.ids[k] = g
	t.keys = append(t.keys, k)
	t.cells = append(t.cells, nil)
	return g
}

// chainOf returns the number of chain, adding it; prev, when not noChain,
// is tried first (an incident's chain seldom changes).
func (t *gridTable) chainOf(chain []incident.Link, prev uint32) uint32 {
	if prev != noChain && t.same(t.chains[prev], chain) {
		return prev
	}
	gs := make([]uint32, len(chain))
	key := make([]byte, 0, 4*len(chain))
	for i, l := range chain {
		gs[i] = t.grid(l.Layer, l.Code)
		key = append(key, byte(gs[i]), byte(gs[i]>>8), byte(gs[i]>>16), byte(gs[i]>>24))
	}
	if c, ok := t.chainIDs[string(key)]; ok {
		return c
	}
	c := uint32(len(t.chains))
	t.chains = append(t.chains, gs)
	t.chainIDs[string(key)] = c
	return c
}

// same reports whether the grid numbers gs name chain.
func (t *gridTable) same(gs []uint32, chain []incident.Link) bool {
	if len(gs) != len(chain) {
		return false
	}
	for i, g := range gs {
		if k := t.keys[g]; k.layer != chain[i].Layer || k.code != chain[i].Code {
			return false
		}
	}
	return true
}

// count adds n (1 or -1) to the counts of every grid of p's chain.
func (t *gridTable) count(p point, n int32) {
	od := int32(0)
	if p.overdue {
		od = n
	}
	for _, g := range t.chains[p.chain] {
		cs := t.cells[g]
		j := 0
		for j < len(cs) && (cs[j].status != p.status || cs[j].category != p.category) {
			j++
		}
		if j == len(cs) {
			cs = append(cs, cell{status: p.status, category: p.category})
			t.cells[g] = cs
		}
		cs[j].total += n
		cs[j].overdue += od
	}
}

// figures are one grid's counts for a tile: its incidents, those still
// open (not closed or rejected) and those marked overdue (open or not, as
// package stats counts them).
type figures struct{ count, open, overdue int32 }

// sum adds up the cells of grid g that f lets through; final[s] tells
// whether status number s ends the loop.
func (t *gridTable) sum(g uint32, f *match, final []bool) figures {
	var fg figures
	for _, c := range t.cells[g] {
		if c.total == 0 || !f.ok(c.status, c.category) {
			continue
		}
		fg.count += c.total
		fg.overdue += c.overdue
		if !final[c.status] {
			fg.open += c.total
		}
	}
	return fg
}
