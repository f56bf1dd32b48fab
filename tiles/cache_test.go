package tiles

import (
	"bytes"
	"errors"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
)

func TestCacheHitsAndGzip(t *testing.T) {
	_, s := jiangyinSource(t)
	c := NewCache(s, CacheOptions{})
	tiles := around(probe, 14)
	for round := 0; round < 2; round++ {
		for _, tl := range tiles {
			e, err := c.Tile(14, int(tl.X), int(tl.Y))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := s.Tile(14, int(tl.X), int(tl.Y))
			if !bytes.Equal(e.Raw, want) {
				t.Fatalf("%v: cached body differs from Source.Tile", tl)
			}
			if len(want) > 0 && !bytes.Equal(gridtest.Gunzip(t, e.Gzip), want) {
				t.Fatalf("%v: gzip body does not decompress to the tile", tl)
			}
		}
	}
	st := c.Stats()
	if st.Misses != uint64(len(tiles)) || st.Hits != uint64(len(tiles)) || st.Tiles != len(tiles) || st.Bytes <= 0 {
		t.Errorf("stats %+v, want %d misses, %d hits", st, len(tiles), len(tiles))
	}
	if _, err := c.Tile(3, 8, 0); !errors.Is(err, ErrTileOutOfRange) {
		t.Errorf("out of range: %v", err)
	}
}

func TestCacheEvictsLRU(t *testing.T) {
	_, s := jiangyinSource(t)
	tiles := around(probe, 15)
	sizes := map[uint64]int64{}
	var total int64
	for _, tl := range tiles {
		b, _ := s.Tile(15, int(tl.X), int(tl.Y))
		e := &Encoded{Raw: b}
		if len(b) > 0 {
			e.Gzip, _ = Gzip(b)
		}
		sizes[tileKey(15, int(tl.X), int(tl.Y))] = e.size()
		total += e.size()
	}
	limit := total / 2
	c := NewCache(s, CacheOptions{MaxBytes: limit})
	for _, tl := range tiles {
		if _, err := c.Tile(15, int(tl.X), int(tl.Y)); err != nil {
			t.Fatal(err)
		}
		if st := c.Stats(); st.Bytes > limit {
			t.Fatalf("cache holds %d bytes over its cap %d", st.Bytes, limit)
		}
	}
	st := c.Stats()
	if st.Evictions == 0 || st.Tiles == len(tiles) {
		t.Fatalf("no eviction: %+v", st)
	}
	// The most recent tile is kept, the first one evicted.
	last, first := tiles[len(tiles)-1], tiles[0]
	c.Tile(15, int(last.X), int(last.Y))
	c.Tile(15, int(first.X), int(first.Y))
	st2 := c.Stats()
	if st2.Hits != st.Hits+1 || st2.Misses != st.Misses+1 {
		t.Errorf("after re-reading newest and oldest: hits %d→%d misses %d→%d, want +1 each", st.Hits, st2.Hits, st.Misses, st2.Misses)
	}
	off := NewCache(s, CacheOptions{MaxBytes: -1})
	off.Tile(15, int(last.X), int(last.Y))
	off.Tile(15, int(last.X), int(last.Y))
	if st := off.Stats(); st.Hits != 0 || st.Misses != 2 || st.Tiles != 0 {
		t.Errorf("caching off: %+v", st)
	}
}

// TestCacheRendersOnce asks for one tile from many goroutines at once; run
// with -race. Only one render may happen.
func TestCacheRendersOnce(t *testing.T) {
	_, s := jiangyinSource(t)
	tl := around(probe, 13)[4]
	for round := 0; round < 5; round++ {
		c := NewCache(s, CacheOptions{})
		var wg sync.WaitGroup
		got := make([]*Encoded, 16)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e, err := c.Tile(13, int(tl.X), int(tl.Y))
				if err != nil {
					t.Error(err)
				}
				got[i] = e
			}()
		}
		wg.Wait()
		st := c.Stats()
		if renders := st.Misses - st.Shared; renders != 1 || st.Hits+st.Misses != 16 {
			t.Fatalf("round %d: %d renders (stats %+v), want 1", round, renders, st)
		}
		for _, e := range got {
			if e != got[0] {
				t.Fatal("callers got different tiles")
			}
		}
	}
}

func TestCacheOversize(t *testing.T) {
	_, s := jiangyinSource(t)
	var reported []Oversize
	var mu sync.Mutex
	c := NewCache(s, CacheOptions{MaxTileBytes: 1000, OnOversize: func(o Oversize) {
		mu.Lock()
		reported = append(reported, o)
		mu.Unlock()
	}})
	tl := around(probe, 14)[4]
	e, err := c.Tile(14, int(tl.X), int(tl.Y))
	if err != nil || len(e.Raw) <= 1000 {
		t.Fatalf("tile of %d bytes, %v", len(e.Raw), err)
	}
	c.Tile(14, int(tl.X), int(tl.Y)) // a hit is not reported again
	st := c.Stats()
	if len(reported) != 1 || st.OversizeCount != 1 || len(st.Oversize) != 1 || st.Oversize[0].Bytes != len(e.Raw) || st.Oversize[0].Z != 14 {
		t.Errorf("reported %v, stats %+v", reported, st)
	}
}
