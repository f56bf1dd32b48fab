package lookup

import "github.com/gridmap/gridmap/geo/index"

// NewEncoderLimitsForTest is NewEncoder with the limits of encoding chain
// elements ahead (0, 0: always on first use).
func NewEncoderLimitsForTest(idx *index.Index, version string, maxGrids, maxBytes int) *Encoder {
	return newEncoder(idx, version, maxGrids, maxBytes)
}

// EncodedAheadForTest reports whether e encoded every chain element ahead.
func (e *Encoder) EncodedAheadForTest() bool { return e.frags != nil }

// WithoutChainsForTest returns a copy of e that answers every chain element
// by element, without the whole-chain arena.
func (e *Encoder) WithoutChainsForTest() *Encoder {
	c := *e
	c.chains = nil
	return &c
}

// HasChainsForTest reports whether e built the whole-chain arena.
func (e *Encoder) HasChainsForTest() bool { return e.chains != nil }

// WholeChainForTest reports whether hits are answered from the whole-chain
// arena.
func (e *Encoder) WholeChainForTest(hits []index.Hit) bool {
	if e.chains == nil {
		return false
	}
	_, ok := e.chains.appendWhole(nil, hits)
	return ok
}

// ChainBytesForTest returns the size of e's whole-chain arena.
func (e *Encoder) ChainBytesForTest() int {
	if e.chains == nil {
		return 0
	}
	return len(e.chains.b)
}

// BlockSize is how many points of a batch are looked up together.
const BlockSize = blockSize
