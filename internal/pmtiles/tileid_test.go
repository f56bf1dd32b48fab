package pmtiles_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gridmap/gridmap/internal/pmtiles"
	ref "github.com/protomaps/go-pmtiles/pmtiles"
)

// TestZxyToID checks the tile id against go-pmtiles' for the four corner
// tiles and random tiles of zooms 0 to 16, and the first ids of a zoom.
func TestZxyToID(t *testing.T) {
	tests := []struct {
		z    uint8
		x, y uint32
		want uint64
	}{
		{0, 0, 0, 0},
		{1, 0, 0, 1},
		{1, 0, 1, 2},
		{1, 1, 1, 3},
		{1, 1, 0, 4},
		{2, 0, 0, 5},
		{12, 3423, 1763, 19078479},
	}
	for _, tc := range tests {
		if got := pmtiles.ZxyToID(tc.z, tc.x, tc.y); got != tc.want {
			t.Errorf("ZxyToID(%d, %d, %d) = %d, want %d", tc.z, tc.x, tc.y, got, tc.want)
		}
	}
	const seed = 16
	rng := rand.New(rand.NewPCG(seed, seed))
	for z := uint8(0); z <= 16; z++ {
		t.Run(fmt.Sprintf("z%d", z), func(t *testing.T) {
			last := uint32(1)<<z - 1
			tiles := [][2]uint32{{0, 0}, {0, last}, {last, 0}, {last, last}}
			for range 1000 {
				tiles = append(tiles, [2]uint32{rng.Uint32N(last + 1), rng.Uint32N(last + 1)})
			}
			for _, xy := range tiles {
				got, want := pmtiles.ZxyToID(z, xy[0], xy[1]), ref.ZxyToID(z, xy[0], xy[1])
				if got != want {
					t.Fatalf("seed %d: ZxyToID(%d, %d, %d) = %d, go-pmtiles %d", seed, z, xy[0], xy[1], got, want)
				}
			}
		})
	}
}
