package tiles

import (
	"sync"
	"sync/atomic"
	"testing"
)

// TestLazyBuildsOnce: concurrent first calls of Source share one build,
// which runs only when asked for; the recorded TileJSON answers before.
func TestLazyBuildsOnce(t *testing.T) {
	_, src := jiangyinSource(t)
	var builds atomic.Int32
	tj := src.TileJSON("")
	l := BuildLazy(&tj, func() (*Source, error) { builds.Add(1); return src, nil })
	got, err := l.TileJSON("u")
	if err != nil || got.Tiles[0] != "u" || len(got.VectorLayers) != len(tj.VectorLayers) || builds.Load() != 0 || l.Built() != nil {
		t.Fatalf("TileJSON before the build: %+v, %v; %d builds", got, err, builds.Load())
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s, err := l.Source(); s != src || err != nil {
				t.Errorf("Source() = %p, %v", s, err)
			}
		}()
	}
	wg.Wait()
	if builds.Load() != 1 || l.Built() != src {
		t.Errorf("%d builds, Built() = %p", builds.Load(), l.Built())
	}
}
