package version

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log"
	"runtime/debug"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/households"
	"github.com/gridmap/gridmap/lookup"
	"github.com/gridmap/gridmap/search"
	"github.com/gridmap/gridmap/tiles"
)

// Snapshot is one version as served: everything a request needs, built once
// and immutable (its fields are read-only). A request loads the current
// snapshot once and uses it to the end, so a switch never mixes two versions
// in one answer.
type Snapshot struct {
	Manifest Manifest
	Data     *geo.Dataset
	Index    *index.Index
	// Tiles is the tile source, which may still be being built when the
	// version's published tiles serve (pubtiles.go).
	Tiles *tiles.Lazy
	// TileCache holds the encoded tiles of this version: it belongs to the
	// snapshot, so a switch starts an empty one and the old one goes with
	// the old snapshot.
	TileCache *tiles.Cache
	Encoder   *lookup.Encoder
	// Search finds grids by code or name; built on its first search.
	Search *search.Index
	// Households holds the households of every grid; built on first use.
	Households *households.Table
	// IDs is []string{Manifest.ID}, made once so that a header can be set
	// to it without allocating.
	IDs []string
	// TileTag tells this version's tiles from those of a version of the
	// same id in another data directory (ids are counters per store): the
	// id, a dot and the first 8 bytes, in hex, of the SHA-256 of the
	// manifest's JSON.
	TileTag string
}

// BuildOptions configure the snapshots built of versions. The zero value
// means the defaults.
type BuildOptions struct {
	// Tiles configures the tiles themselves (properties, simplification).
	Tiles tiles.Options
	// Cache configures the per-version cache of encoded tiles: its byte cap
	// (default 256 MiB) and the size above which a tile is reported
	// (default 500 kB). Every oversize render is logged; Cache.OnOversize,
	// if set, is called after that.
	Cache tiles.CacheOptions
	// Log receives the oversize tile reports and how each version's point
	// index was had; nil discards them.
	Log *log.Logger
	// Index, when set, keeps the versions' published files: a snapshot
	// reads its point index and the tiles of zooms 0..TilesMaxZoom from
	// there instead of building them, and writes the files when it had to
	// build (see pubindex.go, pubtiles.go).
	Index Files
	// TilesMaxZoom, when positive, is the last zoom of the published
	// tiles (gridmap serve: DefaultTilesMaxZoom); 0 publishes none, and
	// the tile source is built with the snapshot, as without Index.
	TilesMaxZoom int
	// TilesNow renders and publishes missing published tiles before Build
	// returns instead of in the background: for the build that precedes
	// this process's own activation of a version (an import, gridmap
	// activate), so that the other replicas, told of the activation, find
	// the index and the tiles published and switch without building
	// either. catalog sets it for those builds.
	TilesNow bool
	// IndexLoad says how a published index file is read (default
	// IndexMap).
	IndexLoad IndexLoad
	// TilesLater leaves the snapshot's tiles (Tiles, TileCache) out when
	// the version's published tiles are not stored yet, instead of
	// building its tile source: for a build ahead of the version's
	// activation while the process that imports it still renders them
	// (catalog). AddTiles completes such a snapshot before it is served.
	TilesLater bool
}

// Build builds the snapshot of version m with dataset d: point index, tile
// source, tile cache, lookup encoder and search index. The tile source
// (read from the published tiles, or built) is had while the lookup encoder
// is made (on another core): neither needs the other. The point index comes
// first, alone: built (no published file), it takes the most memory of
// all. The collector runs with a lowered target meanwhile (see gc.go).
// With sound published tiles the tile source is built when first needed
// (pubtiles.go).
func Build(m Manifest, d *geo.Dataset, o BuildOptions) (*Snapshot, error) {
	defer lowGCDuringBuild()()
	t0 := time.Now()
	idx, built, err := pointIndex(m, d, o)
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", m.ID, err)
	}
	t1 := time.Now()
	var ts *tiles.Lazy
	var cache *tiles.Cache
	var tilesAt time.Time
	tilesDone := make(chan error, 1)
	go func() {
		var err error
		ts, cache, err = tileSource(m, d, o)
		tilesAt = time.Now()
		tilesDone <- err
	}()
	enc := lookup.NewEncoder(idx, m.ID)
	t2 := time.Now()
	if err := <-tilesDone; err != nil {
		return nil, fmt.Errorf("tiles %s: %w", m.ID, err)
	}
	t3 := time.Now()
	// building the index leaves gigabytes of garbage on a province: return
	// it to the system now rather than at the scavenger's pace, so that the
	// resident size is what the version holds. Read from its file, the
	// little garbage (the layers' meta, a tile source built) is returned
	// in the background: the collection took 0.1–0.2 s of Jiangyin's start.
	if built {
		debug.FreeOSMemory()
	} else {
		go debug.FreeOSMemory()
	}
	o.logf("version %s: snapshot in %.2f s: point index %.2f s, encoder %.2f s, tile source %.2f s (beside them), memory returned %.2f s",
		m.ID, time.Since(t0).Seconds(), t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds(), tilesAt.Sub(t1).Seconds(), time.Since(t3).Seconds())
	return &Snapshot{
		Manifest: m, Data: d, Index: idx, Tiles: ts, Households: households.New(d),
		TileCache: cache,
		Encoder:   enc,
		Search:    search.New(d),
		IDs:       []string{m.ID},
		TileTag:   tileTag(m),
	}, nil
}

// Complete reports whether s has its tiles: false for a snapshot built
// with BuildOptions.TilesLater before the version's published tiles were
// stored, which AddTiles completes.
func (s *Snapshot) Complete() bool { return s.TileCache != nil }

// AddTiles gives s, incomplete and not served yet, its tiles as Build
// would: from the version's published tiles when they are stored, else
// (unless o.TilesLater, when s is left as it is) by building its tile
// source. It is not safe to call while another goroutine reads s.
func AddTiles(s *Snapshot, o BuildOptions) error {
	if s.Complete() {
		return nil
	}
	ts, cache, err := tileSource(s.Manifest, s.Data, o)
	if err != nil {
		return fmt.Errorf("tiles %s: %w", s.Manifest.ID, err)
	}
	s.Tiles, s.TileCache = ts, cache
	return nil
}

// tileTag returns the version id and the first 8 bytes, in hex, of the
// SHA-256 of the manifest's JSON (id, creation time, sources and their
// hashes, layer counts).
func tileTag(m Manifest) string {
	h := sha256.Sum256(m.JSON)
	return m.ID + "." + hex.EncodeToString(h[:8])
}

// newTileCache returns the tile cache of version id: oversize tiles are
// logged with the version.
func newTileCache(ts *tiles.Lazy, id string, o BuildOptions) *tiles.Cache {
	co := o.Cache
	next := co.OnOversize
	logger := o.Log
	co.OnOversize = func(ov tiles.Oversize) {
		if logger != nil {
			logger.Printf("tile %s/%d/%d/%d is %d bytes (%d gzipped), over the %d-byte cap", id, ov.Z, ov.X, ov.Y, ov.Bytes, ov.GzipBytes, max(co.MaxTileBytes, 0))
		}
		if next != nil {
			next(ov)
		}
	}
	if co.MaxTileBytes <= 0 {
		co.MaxTileBytes = tiles.DefaultMaxTileBytes
	}
	return tiles.NewLazyCache(ts, co)
}
