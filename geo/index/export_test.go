package index

import "fmt"

// StatsForTest exposes the cell index statistics of layer i to tests.
func (x *Index) StatsForTest(i int) string { return x.layers[i].cells.stats() }

// HotBytesForTest returns the size of layer i's hot level, 0 for none.
func (x *Index) HotBytesForTest(i int) int { return x.layers[i].cells.hot.bytes() }

// ChainsAgreeForTest checks appendAncestors against the parent-link walk for
// every grid of every layer and returns the first disagreement.
func (x *Index) ChainsAgreeForTest() string {
	for l := range x.layers {
		for g := range x.data.Layers[l].Grids {
			a := x.appendAncestors(nil, l, g)
			b := x.appendAncestorsSlow(nil, l, g)
			if len(a) != len(b) {
				return fmt.Sprintf("layer %d grid %d: %v vs %v", l, g, a, b)
			}
			for i := range a {
				if a[i] != b[i] {
					return fmt.Sprintf("layer %d grid %d: %v vs %v", l, g, a, b)
				}
			}
		}
	}
	return ""
}
