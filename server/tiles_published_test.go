package server

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/version"
)

// TestTilesFromPublishedArchive: a replica started over a store whose
// version has published tiles answers a tile over HTTP from the archive
// (gzip and identity), rendering nothing and building no tile source, with
// the bodies the first replica rendered.
func TestTilesFromPublishedArchive(t *testing.T) {
	build := version.BuildOptions{TilesMaxZoom: version.DefaultTilesMaxZoom}
	first, _, st, cat := tileServer(t, Options{}, build)
	for cat.Current().TileCache.Archive() == nil {
		time.Sleep(10 * time.Millisecond) // the first replica publishes in the background
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	second, _, cat2 := listenTest(t, ctx, catalog.Options{Store: st, Poll: -1, Build: build}, Options{})
	for _, enc := range []string{"gzip", "identity"} {
		got := fetch(t, second+tilePath(""), "Accept-Encoding", enc)
		want := fetch(t, first+tilePath(""), "Accept-Encoding", enc)
		if got.status != 200 || len(got.body) == 0 || !bytes.Equal(got.body, want.body) || got.header.Get("Etag") != want.header.Get("Etag") {
			t.Errorf("%s: status %d, %d bytes, ETag %s; the renderer's %d bytes, ETag %s",
				enc, got.status, len(got.body), got.header.Get("Etag"), len(want.body), want.header.Get("Etag"))
		}
	}
	var stats tileStats
	if err := json.Unmarshal(fetch(t, second+"/api/v1/tiles/stats").body, &stats); err != nil {
		t.Fatal(err)
	}
	if stats.Archived != 2 || stats.Misses != 0 || cat2.Current().Tiles.Built() != nil {
		t.Errorf("stats %+v, tile source built: %v; want 2 tiles read, none rendered", stats, cat2.Current().Tiles.Built() != nil)
	}
}
