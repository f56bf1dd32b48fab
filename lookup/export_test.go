package lookup

import "github.com/gridmap/gridmap/geo"

// NewEncoderLimitsForTest is NewEncoder with the limits of encoding chain
// elements ahead (0, 0: always on first use).
func NewEncoderLimitsForTest(idx *geo.Index, version string, maxGrids, maxBytes int) *Encoder {
	return newEncoder(idx, version, maxGrids, maxBytes)
}

// EncodedAheadForTest reports whether e encoded every chain element ahead.
func (e *Encoder) EncodedAheadForTest() bool { return e.frags != nil }
