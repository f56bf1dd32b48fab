package tiles

import (
	"bytes"
	"sync"
	"testing"
)

// TestTileConcurrent renders the same tiles from many goroutines on a fresh
// Source, so the first use of a zoom (lazy arc simplification) races with
// others; run with -race. Every result must equal the sequential one.
func TestTileConcurrent(t *testing.T) {
	d, _ := jiangyinSource(t)
	s, err := NewSource(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tiles := around(probe, 15)
	got := make([][][]byte, 8)
	var wg sync.WaitGroup
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, tl := range tiles {
				b, err := s.Tile(15, int(tl.X), int(tl.Y))
				if err != nil {
					t.Error(err)
				}
				got[g] = append(got[g], b)
			}
		}()
	}
	wg.Wait()
	for i, tl := range tiles {
		want, _ := s.Tile(15, int(tl.X), int(tl.Y))
		for g := range got {
			if !bytes.Equal(got[g][i], want) {
				t.Errorf("goroutine %d, tile %v: %d bytes, want %d", g, tl, len(got[g][i]), len(want))
			}
		}
	}
}
