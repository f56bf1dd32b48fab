package catalog_test

import (
	"context"
	"log"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/version"
)

// TestWarmTiles: with WarmTiles, the served version's cache holds every
// tile of its warm zooms (no request asked for them); without, none.
func TestWarmTiles(t *testing.T) {
	for _, warm := range []bool{true, false} {
		f := newFixture(t, 1, true)
		w := &syncWriter{b: &strings.Builder{}}
		cat, err := catalog.New(catalog.Options{Store: f.st, Uploads: filepath.Join(f.dir, "uploads"),
			Log: log.New(w, "", 0), WarmTiles: warm, Build: version.BuildOptions{TilesMaxZoom: -1}})
		if err != nil {
			t.Fatal(err)
		}
		if err := cat.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		snap := cat.Current()
		from, to := snap.Tiles.WarmZooms()
		want := 0
		for z := from; z <= to; z++ {
			want += len(snap.TileCache.Source().TilesOver(z))
		}
		if want == 0 {
			t.Fatalf("no tile over the bounds of z%d–%d", from, to)
		}
		if warm {
			for !strings.Contains(w.String(), "rendered ahead") {
				time.Sleep(10 * time.Millisecond)
			}
		} else {
			want = 0
		}
		if st := snap.TileCache.Stats(); st.Tiles != want || st.Hits != 0 {
			t.Errorf("WarmTiles %v: cache holds %d tiles (%d hits), want %d (0)", warm, st.Tiles, st.Hits, want)
		}
	}
}

// String returns what w holds.
func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
