package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/lookup"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/tiles"
)

var errNoVersion = errors.New("no version is active yet")

// snapshot is one active version: everything a request needs, immutable. A
// request loads the current snapshot once and uses it to the end, so a
// publish never mixes two versions in one answer.
type snapshot struct {
	manifest      store.Manifest
	data          *geo.Dataset
	index         *index.Index
	tiles         *tiles.Source
	tileCache     *tiles.Cache // encoded tiles of this version (handle_tiles.go)
	enc           *lookup.Encoder
	versionHeader []string
	// tileTag tells this version's tiles from those of a version of the
	// same id in another data directory (ids are counters per store):
	// the id and a hash of the manifest. It is in every tile ETag and in
	// the query of the immutable tile URLs that tiles.json gives.
	tileTag string
	search  searchIndex // built on first search (handle_search.go)
}

// newSnapshot builds the index, tile source and tile cache of a loaded
// version. A cache belongs to its snapshot, so a publish starts an empty one
// and the old one goes with the old snapshot.
func newSnapshot(m store.Manifest, d *geo.Dataset, o *Options) (*snapshot, error) {
	defer lowGCDuringBuild()()
	idx, err := index.NewIndex(d)
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", m.ID, err)
	}
	ts, err := tiles.NewSource(d, o.Tiles.Source)
	if err != nil {
		return nil, fmt.Errorf("tiles %s: %w", m.ID, err)
	}
	// building the index and the tile source leaves gigabytes of garbage
	// on a province: return it to the system now rather than at the
	// scavenger's pace, so that the resident size is what the version holds
	debug.FreeOSMemory()
	return &snapshot{
		manifest: m, data: d, index: idx, tiles: ts,
		tileCache:     newTileCache(ts, m.ID, o),
		enc:           lookup.NewEncoder(idx, m.ID),
		versionHeader: []string{m.ID},
		tileTag:       tileTag(m),
	}, nil
}

// tileTag returns the version id and the first 8 bytes, in hex, of the
// SHA-256 of the manifest's JSON (id, creation time, sources and their
// hashes, layer counts).
func tileTag(m store.Manifest) string {
	b, _ := json.Marshal(m)
	h := sha256.Sum256(b)
	return m.ID + "." + hex.EncodeToString(h[:8])
}

// load reads the active version from the store when it differs from cur.
func load(ctx context.Context, o *Options, cur *snapshot) (*snapshot, error) {
	st := o.Store
	id, err := st.Active(ctx)
	if errors.Is(err, store.ErrNoActive) {
		return nil, errNoVersion
	}
	if err != nil {
		return nil, err
	}
	if cur != nil && cur.manifest.ID == id {
		return cur, nil
	}
	d, m, err := st.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return newSnapshot(m, d, o)
}
