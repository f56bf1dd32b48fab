package incidents_test

import (
	"sync"
	"testing"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/tiles/incidents"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// TestConcurrentPutAndTile puts and changes incidents on some goroutines
// while others draw tiles of every kind (run it with -race), then checks
// that the tiles drawn afterwards count every incident once.
func TestConcurrentPutAndTile(t *testing.T) {
	f := jiangyinFixture(t)
	incs := f.synth(t, 11, 1, 2000)
	src := incidents.New()
	probe := orb.Point{incs[0].Lon, incs[0].Lat}
	var wg sync.WaitGroup
	const writers = 4
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(incs); i += writers {
				inc := incs[i]
				src.Put(inc)
				inc.Status = incident.Dispatched
				src.Put(inc)
			}
		}()
	}
	for r := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 60 {
				z := []int{8, 12, 13, 14, 16}[(i+r)%5]
				tl := maptile.At(probe, maptile.Zoom(z))
				if _, _, err := src.TileAt(f.snap, z, int(tl.X), int(tl.Y), incidents.Filter{Statuses: []incident.Status{incident.Dispatched}}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if src.Len() != len(incs) {
		t.Fatalf("Len %d, want %d", src.Len(), len(incs))
	}
	b, _, err := src.TileAt(f.snap, 0, 0, 0, incidents.Filter{Statuses: []incident.Status{incident.Dispatched}})
	if err != nil {
		t.Fatal(err)
	}
	fs := decode(t, b)
	if len(fs) != 1 || num(fs[0].props["count"]) != int64(len(incs)) || num(fs[0].props["open"]) != int64(len(incs)) {
		t.Fatalf("z0 after the writes: %v", fs)
	}
}
