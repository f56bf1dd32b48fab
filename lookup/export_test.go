package lookup

import "github.com/gridmap/gridmap/geo/index"

// NewEncoderLimitsForTest is NewEncoder with the limits of encoding chain
// elements ahead (0, 0: always on first use).
func NewEncoderLimitsForTest(idx *index.Index, version string, maxGrids, maxBytes int) *Encoder {
	return newEncoder(idx, version, maxGrids, maxBytes)
}

// EncodedAheadForTest reports whether e encoded every chain element ahead,
// once it is done encoding ahead.
func (e *Encoder) EncodedAheadForTest() bool { return e.aheadForTest() != nil }

// aheadForTest returns what e encoded ahead, once it is done.
func (e *Encoder) aheadForTest() *aheadArenas {
	<-e.done
	return e.ahead.Load()
}

// WithoutChainsForTest returns a copy of e that answers every chain element
// by element, without the whole-chain arena.
func (e *Encoder) WithoutChainsForTest() *Encoder {
	c := &Encoder{idx: e.idx, version: e.version, hits: e.hits, done: e.done, finestFirst: e.finestFirst, roots: e.roots}
	if ah := e.aheadForTest(); ah != nil {
		c.ahead.Store(&aheadArenas{frags: ah.frags})
	}
	return c
}

// HasChainsForTest reports whether e built the whole-chain arena.
func (e *Encoder) HasChainsForTest() bool { return e.chainsForTest() != nil }

// chainsForTest returns e's whole-chain arena once it is done encoding
// ahead, nil if it has none.
func (e *Encoder) chainsForTest() *chainArena {
	if ah := e.aheadForTest(); ah != nil {
		return ah.chains
	}
	return nil
}

// WholeChainForTest reports whether hits are answered from the whole-chain
// arena.
func (e *Encoder) WholeChainForTest(hits []index.Hit) bool {
	c := e.chainsForTest()
	if c == nil {
		return false
	}
	_, ok := c.appendWhole(nil, hits)
	return ok
}

// ChainBytesForTest returns the size of e's whole-chain arena.
func (e *Encoder) ChainBytesForTest() int {
	if c := e.chainsForTest(); c != nil {
		return len(c.b)
	}
	return 0
}

// BlockSize is how many points of a batch are looked up together.
const BlockSize = blockSize
