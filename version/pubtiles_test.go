package version_test

import (
	"bytes"
	"context"
	"log"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/export"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/internal/syncbuf"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/version"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// tiled is a store with two versions of a dataset, built with published
// tiles, and the log of the builds.
type tiled struct {
	// maxZoom is the last zoom of the published tiles (kept low: the
	// tests run under the race detector)
	maxZoom int
	st      *store.Dir
	d       *geo.Dataset
	ms      []version.Manifest
	log     syncbuf.Buffer
}

func newTiled(t *testing.T, maxZoom int, layers ...string) *tiled {
	t.Helper()
	st, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	x := &tiled{maxZoom: maxZoom, st: st, d: gridtest.JiangyinSet(t, layers...)}
	x.ms = publishTwice(t, st, x.d)
	return x
}

func (x *tiled) options() version.BuildOptions {
	return version.BuildOptions{Index: x.st, TilesMaxZoom: x.maxZoom, Log: log.New(&x.log, "", 0)}
}

// built is the tile part of a snapshot.
type built struct {
	Tiles     *tiles.Lazy
	TileCache *tiles.Cache
}

// build builds the tile source and cache of version i as Build does; when
// it had to render the published tiles, it waits for them to be written
// and served.
func (x *tiled) build(t *testing.T, i int) (built, string) {
	t.Helper()
	var snap built
	var err error
	snap.Tiles, snap.TileCache, err = version.TileSourceForTest(x.ms[i], x.d, x.options())
	if err != nil {
		t.Fatal(err)
	}
	logged := x.log.Take()
	if !strings.Contains(logged, "rendering the published tiles") {
		return snap, logged
	}
	for snap.TileCache.Archive() == nil {
		if more := x.log.Take(); strings.Contains(more, "published tiles not written") || strings.Contains(more, "not read back") {
			t.Fatalf("background publishing: %s", more)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return snap, logged + x.log.Take()
}

func (x *tiled) tilesPath(t *testing.T, i int) string {
	t.Helper()
	p, err := x.st.FilePath(x.ms[i].ID, version.TilesFile)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPublishedTilesServe: the first build renders and publishes the
// tiles of z0–12 and then serves them; the next build reads every tile of
// zooms 9, 11 and 12 (and the ring of tiles around the data) from the
// archive, without building a tile source, each the same MVT, byte for
// byte and decoded, as the render; its TileJSON is the Source's; a tile
// of z13 builds the source and is rendered.
func TestPublishedTilesServe(t *testing.T) {
	x := newTiled(t, 12, "county", "towns", "villages", "grids", "microgrids")
	first, logged := x.build(t, 0)
	if !strings.Contains(logged, "no published tiles yet") || !strings.Contains(logged, "rendered and written") {
		t.Fatalf("first build logged %q", logged)
	}
	if first.TileCache.Archive() == nil {
		t.Fatal("the first build does not serve the tiles it published")
	}
	snap, logged := x.build(t, 0)
	if !strings.Contains(logged, "published tiles z0–12 read from") {
		t.Fatalf("second build logged %q", logged)
	}
	src := first.Tiles.Built()
	n := 0
	for _, z := range []int{9, 11, 12} {
		for _, tl := range around(src.TilesOver(z)) {
			enc, err := snap.TileCache.Tile(int(tl.Z), int(tl.X), int(tl.Y))
			if err != nil {
				t.Fatal(err)
			}
			got, err := enc.MVT()
			if err != nil {
				t.Fatalf("%v: %v", tl, err)
			}
			want, err := src.Tile(int(tl.Z), int(tl.X), int(tl.Y))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%v: %d bytes from the archive, %d rendered", tl, len(got), len(want))
			}
			if len(want) > 0 {
				n++
				a, errA := mvt.Unmarshal(got)
				b, errB := mvt.Unmarshal(want)
				if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
					t.Fatalf("%v: decoded tiles differ (%v, %v)", tl, errA, errB)
				}
			}
		}
	}
	st := snap.TileCache.Stats()
	if st.Misses != 0 || st.Archived == 0 || snap.Tiles.Built() != nil {
		t.Errorf("%d tiles compared; stats %+v, source built: %v; want every tile read, none rendered", n, st, snap.Tiles.Built() != nil)
	}
	got, err := snap.Tiles.TileJSON("u")
	if err != nil {
		t.Fatal(err)
	}
	if want := src.TileJSON("u"); !reflect.DeepEqual(got, want) {
		t.Errorf("TileJSON from the archive\n%+v, from the source\n%+v", got, want)
	}
	if enc, err := snap.TileCache.Tile(13, 6835, 3330); err != nil || snap.Tiles.Built() == nil || snap.TileCache.Stats().Misses != 1 {
		t.Errorf("a z13 tile: %v, %v; want it rendered from a source built for it", enc, err)
	}
}

// around returns ts and the tiles bordering them.
func around(ts []maptile.Tile) []maptile.Tile {
	seen := map[maptile.Tile]bool{}
	var out []maptile.Tile
	for _, t := range ts {
		n := uint32(1) << t.Z
		for dx := -1; dx <= 1; dx++ {
			for dy := -1; dy <= 1; dy++ {
				u := maptile.New(t.X+uint32(dx), t.Y+uint32(dy), t.Z)
				if u.X < n && u.Y < n && !seen[u] {
					seen[u] = true
					out = append(out, u)
				}
			}
		}
	}
	return out
}

// TestPublishedTilesRefused: a tiles file that is damaged, cut short,
// not an archive, of another version, or of an older format is refused
// with its reason in one log line, and rendered and published afresh.
func TestPublishedTilesRefused(t *testing.T) {
	x := newTiled(t, 10, "county", "towns")
	x.build(t, 1) // v2's archive, to be put where v1's is wanted
	other, err := os.ReadFile(x.tilesPath(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	src, err := tiles.NewSource(x.d, tiles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	oldKey := strings.TrimSuffix(version.TilesKeyForTest(x.ms[0], tiles.Options{}), version.TilesFormatForTest) + "gridmap-tiles-0"
	tests := []struct {
		name  string
		write func(path string) error
		want  string
	}{
		{"damaged", func(path string) error {
			b := bytes.Clone(other) // v2's tiles, for v1: key aside, a flipped byte of tile data
			b[len(b)-10] ^= 0x40
			return os.WriteFile(path, b, 0o644)
		}, "tile data: CRC-32C"},
		{"short", func(path string) error { return os.WriteFile(path, other[:len(other)/2], 0o644) }, "beyond the"},
		{"not an archive", func(path string) error { return os.WriteFile(path, []byte("{}"), 0o644) }, "not a PMTiles v3 archive"},
		{"another version", func(path string) error { return os.WriteFile(path, other, 0o644) }, "of another version"},
		{"older format", func(path string) error {
			_, err := export.PMTiles(context.Background(), path, src, export.PMTilesOptions{MaxZoom: 10,
				Meta: map[string]any{"gridmap:key": oldKey, "gridmap:tilejson": src.TileJSON("")}})
			return err
		}, "gridmap-tiles-0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := x.tilesPath(t, 0)
			if err := tc.write(path); err != nil {
				t.Fatal(err)
			}
			_, logged := x.build(t, 0)
			line, _, _ := strings.Cut(logged[strings.Index(logged, "rendering the published tiles")+1:], "\n")
			if !strings.Contains(logged, "rendering the published tiles") || !strings.Contains(line, tc.want) {
				t.Fatalf("logged %q, want the reason %q on the line of the rebuild", logged, tc.want)
			}
			if _, _, err := version.LoadTilesFile(path, version.TilesKeyForTest(x.ms[0], tiles.Options{})); err != nil {
				t.Fatalf("rebuilt archive refused: %v", err)
			}
		})
	}
}

// TestPublishedTilesNow: a build with TilesNow (one that precedes this
// process's own activation) has published its tiles when it returns and
// serves them, so that another process building the version next reads
// them instead of rendering.
func TestPublishedTilesNow(t *testing.T) {
	x := newTiled(t, 10, "county", "towns")
	o := x.options()
	o.TilesNow = true
	_, cache, err := version.TileSourceForTest(x.ms[0], x.d, o)
	if err != nil {
		t.Fatal(err)
	}
	logged := x.log.Take()
	if cache.Archive() == nil || !strings.Contains(logged, "before activating it") || strings.Contains(logged, "in the background") {
		t.Fatalf("a TilesNow build returned without its archive served; logged %q", logged)
	}
	if _, err := os.Stat(x.tilesPath(t, 0)); err != nil {
		t.Fatalf("the archive is not published: %v", err)
	}
	next, logged := x.build(t, 0)
	if next.TileCache.Archive() == nil || !strings.Contains(logged, "published tiles z0–10 read from") {
		t.Errorf("the next build logged %q; want the published tiles read", logged)
	}
}
