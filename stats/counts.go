package stats

import (
	"cmp"
	"slices"

	"github.com/gridmap/gridmap/incident"
)

// liveCount is the wall's figures of one grid, kept current by Put.
type liveCount struct {
	total, open, overdue, closed int32
}

// countRow adds d (+1 or -1) of row r to the live counts of every grid of
// its chain. The caller holds mu for writing.
func (l *Ledger) countRow(r int32, d int32) {
	c := &l.rows
	st := c.status[r]
	final := st == closedID || st == rejectedID
	for _, g := range c.chain(int(r)) {
		lc := &l.live[g]
		lc.total += d
		if st == closedID {
			lc.closed += d
		} else if !final {
			lc.open += d
		}
		if c.overdue[r] {
			lc.overdue += d
		}
	}
}

// gridCount returns the GridCount of grid id g. The caller holds mu.
func (l *Ledger) gridCount(g int32) incident.GridCount {
	lc := l.live[g]
	return incident.GridCount{
		Layer:   l.names.layer.list[l.names.gridLayer[g]],
		Code:    l.names.gridCode[g],
		Total:   int(lc.total),
		Open:    int(lc.open),
		Overdue: int(lc.overdue),
		Closed:  int(lc.closed),
	}
}

// Counts returns the wall's figures of every grid of chain, in its order:
// every incident whose chain holds the grid, those still open (neither
// closed nor rejected), those marked overdue (open or not, as
// Figures.Overdue, so that the wall's colours from a stats query and from
// counts events agree) and the closed ones. A grid without incidents gets
// zeros.
func (l *Ledger) Counts(chain []incident.Link) []incident.GridCount {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make([]incident.GridCount, len(chain))
	for i, k := range chain {
		out[i] = incident.GridCount{Layer: k.Layer, Code: k.Code}
		lid, ok := l.names.layer.lookup(k.Layer)
		if !ok {
			continue
		}
		if g, ok := l.names.grids[gridKey{lid, k.Code}]; ok {
			out[i] = l.gridCount(g)
		}
	}
	return out
}

// LayerCounts returns the wall's figures (as Counts) of every grid of
// layer that has incidents, by code. It costs O(grids of the layer).
func (l *Ledger) LayerCounts(layer string) []incident.GridCount {
	l.mu.RLock()
	defer l.mu.RUnlock()
	lid, ok := l.names.layer.lookup(layer)
	if !ok {
		return nil
	}
	var out []incident.GridCount
	for _, g := range l.names.layerGrids[lid] {
		if l.live[g].total > 0 {
			out = append(out, l.gridCount(g))
		}
	}
	slices.SortFunc(out, func(a, b incident.GridCount) int { return cmp.Compare(a.Code, b.Code) })
	return out
}
