package lookup

import "github.com/gridmap/gridmap/geo/index"

// chainArena holds, for every grid of the finest layer of a dataset with a
// single layer tree, the text of its whole chain with no flag set: its
// chain elements up to the root, each with "boundary":false, joined by
// commas. Grid i's is b[off[i]:off[i+1]], and n[i] is the number of
// elements in it. Most lookups land inside a grid and away from borders:
// their answer is then one copy of contiguous bytes instead of one element
// (and its offset) read from each layer's arena.
type chainArena struct {
	leaf int32
	b    []byte
	off  []uint32
	n    []uint8
}

// encodeChains builds the chain arena of e's dataset when it has one layer
// tree, its elements are encoded ahead and the chains take at most
// maxBytes; nil otherwise. The bytes end up outside the Go heap (see
// offHeap) and are released with e.
func (e *Encoder) encodeChains(frags []fragArena, maxBytes int) *chainArena {
	d := e.idx.Dataset()
	leaves := d.Leaves()
	if frags == nil || len(leaves) != 1 {
		return nil
	}
	leaf := leaves[0]
	c := &chainArena{leaf: int32(d.LayerIndex(leaf.Name)), off: make([]uint32, len(leaf.Grids)+1), n: make([]uint8, len(leaf.Grids))}
	var hits []index.Hit
	for gi := range leaf.Grids {
		hits = e.idx.AppendChainOf(hits[:0], int(c.leaf), gi)
		if len(hits) > 255 {
			return nil
		}
		for i, h := range hits {
			if i > 0 {
				c.b = append(c.b, ',')
			}
			c.b = e.AppendHit(c.b, h)
		}
		if len(c.b) > maxBytes {
			return nil
		}
		c.off[gi+1] = uint32(len(c.b))
		c.n[gi] = uint8(len(hits))
	}
	e.offHeap(&c.b)
	return c
}

// appendWhole appends the whole chain of hits from the chain arena and
// returns true when hits are the plain, unfiltered chain of a finest-layer
// grid; otherwise it returns b unchanged and false.
func (c *chainArena) appendWhole(b []byte, hits []index.Hit) ([]byte, bool) {
	if len(hits) == 0 || hits[0].Layer != c.leaf {
		return b, false
	}
	g := hits[0].Grid
	if int(c.n[g]) != len(hits) {
		return b, false // a layer filter left some out
	}
	for i := range hits {
		if hits[i].Boundary || hits[i].Nearest {
			return b, false
		}
	}
	return append(b, c.b[c.off[g]:c.off[g+1]]...), true
}
