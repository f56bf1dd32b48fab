package version

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/gridmap/gridmap/export"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/internal/bigmem"
	"github.com/gridmap/gridmap/tiles"
)

// DefaultTilesMaxZoom is the last zoom of a version's published tiles
// (TilesFile, from zoom 0) that gridmap serve publishes: Jiangyin's z0–z15 are 2.9 MB rendered in
// about 3 s on two cores; z16 alone would add 4 MB and 3.6 s, z17 9.8 MB
// and 8.4 s (docs/performance.md), for tiles whose render costs least
// per tile. Zooms past it are rendered on request.
const DefaultTilesMaxZoom = 15

// tilesFormat names the layout and rendering of a published tiles
// archive; change it when tiles render differently, so that archives of
// an older build are refused and rebuilt.
const tilesFormat = "gridmap-tiles-1"

// Metadata keys of a published tiles archive beside those of export.
const (
	// tilesKeyMeta holds tilesKey: the version, tile options and format
	// the archive was rendered for.
	tilesKeyMeta = "gridmap:key"
	// tileJSONMeta holds the Source's TileJSON (no tile URL), answered
	// while the Source is being built.
	tileJSONMeta = "gridmap:tilejson"
)

// errTilesKey is wrapped when a published tiles archive was rendered for
// another version, other tile options or another format.
var errTilesKey = errors.New("published tiles are of another version, tile options or format")

// tilesKey is what a published tiles archive must name to serve version m
// with tile options o: the version's tileTag, a hash of the options and
// tilesFormat.
func tilesKey(m Manifest, o tiles.Options) string {
	b, _ := json.Marshal(o) // plain values: cannot fail
	h := sha256.Sum256(b)
	return tileTag(m) + "/" + hex.EncodeToString(h[:8]) + "/" + tilesFormat
}

// tileSource returns the tile source and tile cache of version m with
// dataset d. With published tiles (o.Index, o.TilesMaxZoom > 0) that are
// sound, the cache serves their zooms from the mapped archive and the
// Source is built when first needed (a tile of another zoom; tiles.Lazy);
// without, the Source is built now and, when o.Index is set, the archive
// is rendered and published in the background (before returning with
// o.TilesNow), then served once written; with o.TilesLater, a version
// whose published tiles are not stored yet gets no tiles (nil, nil, nil).
// Why a file was not used is logged, one line.
func tileSource(m Manifest, d *geo.Dataset, o BuildOptions) (*tiles.Lazy, *tiles.Cache, error) {
	build := func() (*tiles.Source, error) { return tiles.NewSource(d, o.Tiles) }
	if o.Index == nil || o.TilesMaxZoom <= 0 {
		src, err := build()
		if err != nil {
			return nil, nil, err
		}
		lazy := tiles.ReadySource(src)
		return lazy, newTileCache(lazy, m.ID, o), nil
	}
	start := time.Now()
	key := tilesKey(m, o.Tiles)
	path, err := o.Index.FilePath(m.ID, TilesFile)
	if err == nil {
		var a *tiles.Archive
		var tj *tiles.TileJSON
		if a, tj, err = LoadTilesFile(path, key); err == nil {
			lazy := tiles.BuildLazy(tj, func() (*tiles.Source, error) {
				t := time.Now()
				src, err := build()
				debug.FreeOSMemory()
				o.logf("version %s: tile source built on first need in %.1f s", m.ID, time.Since(t).Seconds())
				return src, err
			})
			c := newTileCache(lazy, m.ID, o)
			c.SetArchive(a)
			lo, hi := a.Zooms()
			o.logf("version %s: published tiles z%d–%d read from %s in %.3f s", m.ID, lo, hi, path, time.Since(start).Seconds())
			return lazy, c, nil
		}
	}
	reason := err.Error()
	if errors.Is(err, fs.ErrNotExist) {
		if o.TilesLater {
			return nil, nil, nil
		}
		reason = "no published tiles yet"
	}
	src, err := build()
	if err != nil {
		return nil, nil, err
	}
	lazy := tiles.ReadySource(src)
	c := newTileCache(lazy, m.ID, o)
	if o.TilesNow {
		o.logf("version %s: rendering the published tiles z0–%d before activating it: %s", m.ID, o.tilesMaxZoom(), reason)
		publishTiles(m, src, c, key, o)
		return lazy, c, nil
	}
	o.logf("version %s: rendering the published tiles z0–%d in the background: %s", m.ID, o.tilesMaxZoom(), reason)
	go publishTiles(m, src, c, key, o)
	return lazy, c, nil
}

// tilesMaxZoom returns o.TilesMaxZoom within 0..tiles.MaxZoom.
func (o BuildOptions) tilesMaxZoom() int { return min(o.TilesMaxZoom, tiles.MaxZoom) }

// publishTiles renders the tiles of zooms 0..o.tilesMaxZoom() of src into
// version m's TilesFile, then maps it and has c serve from it. A failure
// is logged; c renders meanwhile and on.
func publishTiles(m Manifest, src *tiles.Source, c *tiles.Cache, key string, o BuildOptions) {
	start := time.Now()
	path, err := o.Index.FilePath(m.ID, TilesFile)
	var st export.PMTilesStats
	if err == nil {
		tj := src.TileJSON("")
		err = o.Index.WriteFile(m.ID, TilesFile, func(w io.Writer) error {
			st, err = export.WritePMTiles(context.Background(), w, spoolDir(path), src, export.PMTilesOptions{
				MinZoom: 0, MaxZoom: o.tilesMaxZoom(), Version: m.ID,
				Meta: map[string]any{tilesKeyMeta: key, tileJSONMeta: tj},
			})
			return err
		})
	}
	if err != nil {
		o.logf("version %s: published tiles not written: %v", m.ID, err)
		return
	}
	written := time.Now()
	a, _, err := LoadTilesFile(path, key)
	if err != nil {
		o.logf("version %s: published tiles written but not read back: %v", m.ID, err)
		return
	}
	c.SetArchive(a)
	o.logf("version %s: published tiles z0–%d rendered and written in %.1f s (%d tiles, %.1f MB), served from %s after %.3f s more",
		m.ID, o.tilesMaxZoom(), written.Sub(start).Seconds(), st.NonEmpty, float64(st.Bytes)/1e6, path, time.Since(written).Seconds())
}

// spoolDir returns the directory of path when it exists (the tile data is
// spooled beside the file), else "" (the system's temporary directory: a
// store whose local copy is not made yet).
func spoolDir(path string) string {
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return ""
	}
	return dir
}

// LoadTilesFile maps the published tiles archive at path and returns it
// with the TileJSON it records, when it is sound (tiles.OpenArchive: its
// CRC-32C sums hold) and was rendered for key; else an error saying why.
// The mapping is released once the archive is unreachable.
func LoadTilesFile(path, key string) (*tiles.Archive, *tiles.TileJSON, error) {
	b, release, err := bigmem.MapFile(path)
	if err != nil {
		return nil, nil, err
	}
	a, tj, err := openTiles(b, key)
	if err != nil {
		release()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	bigmem.ReleaseWith(a, release)
	return a, tj, nil
}

// openTiles opens archive b and checks its key and TileJSON.
func openTiles(b []byte, key string) (*tiles.Archive, *tiles.TileJSON, error) {
	a, err := tiles.OpenArchive(b)
	if err != nil {
		return nil, nil, err
	}
	var got string
	if err := a.Meta(tilesKeyMeta, &got); err != nil {
		return nil, nil, err
	}
	if got != key {
		return nil, nil, fmt.Errorf("%w: made for %q, want %q", errTilesKey, got, key)
	}
	tj := new(tiles.TileJSON)
	if err := a.Meta(tileJSONMeta, tj); err != nil {
		return nil, nil, err
	}
	if tj.TileJSON == "" {
		return nil, nil, fmt.Errorf("%w: no %s in its metadata", errTilesKey, tileJSONMeta)
	}
	return a, tj, nil
}
