// Package store keeps published versions of a dataset: each import becomes
// an immutable version, and one version is active. The embedded store keeps
// them in a directory; a kill at any moment leaves the last good active
// version serving.
package store

import (
	"context"
	"time"

	"github.com/gridmap/gridmap/geo"
)

// Store is where versions live. Implementations are safe for concurrent use
// and for use by several processes on the same data.
type Store interface {
	// Publish writes d as a new version and, when activate is true, makes
	// it the active one. It returns the version's manifest.
	Publish(ctx context.Context, d *geo.Dataset, meta Meta, activate bool) (Manifest, error)
	// Activate makes version id the active one (roll back or forward).
	Activate(ctx context.Context, id string) error
	// Active returns the id of the active version, or ErrNoActive.
	Active(ctx context.Context) (string, error)
	// Manifest returns the manifest of version id.
	Manifest(ctx context.Context, id string) (Manifest, error)
	// Load reads version id.
	Load(ctx context.Context, id string) (*geo.Dataset, Manifest, error)
	// List returns the manifests of all versions, oldest first.
	List(ctx context.Context) ([]Manifest, error)
	// Ready returns nil when the store can be read now (for a readiness
	// probe; cheap), else an error matching ErrUnreachable that says what
	// is missing.
	Ready(ctx context.Context) error
}

// Meta is what the caller of Publish says about a version.
type Meta struct {
	// Who made it (user name or token name).
	Who string `json:"who,omitempty"`
	// Sources are the files it was made from.
	Sources []SourceFile `json:"sources,omitempty"`
	// Report is the importer's report, kept as given (JSON).
	Report any `json:"report,omitempty"`
	// Note is free text.
	Note string `json:"note,omitempty"`
	// Attribution credits the data's source and licence ("© … CC BY
	// 4.0"); the map shows it.
	Attribution string `json:"attribution,omitempty"`
}

// SourceFile names one input file of a version.
type SourceFile struct {
	Layer  string `json:"layer"`
	Name   string `json:"name"`
	SHA256 string `json:"sha256,omitempty"`
	Bytes  int64  `json:"bytes,omitempty"`
}

// LayerInfo summarises one layer of a version.
type LayerInfo struct {
	Name     string `json:"name"`
	Parent   string `json:"parent,omitempty"`
	Grids    int    `json:"grids"`
	Vertices int    `json:"vertices"`
	// Partial is true for a layer whose grids need not tile their parents
	// (geo.Layer.Partial); absent in manifests written before issue 18.
	Partial bool `json:"partial,omitempty"`
}

// Manifest describes a version.
type Manifest struct {
	ID      string      `json:"id"`
	Created time.Time   `json:"created"`
	Layers  []LayerInfo `json:"layers"`
	Meta
}

// Summarise returns the layer summary of d, coarse to fine.
func Summarise(d *geo.Dataset) []LayerInfo {
	out := make([]LayerInfo, 0, len(d.Layers))
	for _, l := range d.Layers {
		out = append(out, LayerInfo{Name: l.Name, Parent: l.Parent, Grids: len(l.Grids), Vertices: l.Vertices(), Partial: l.Partial})
	}
	return out
}

// Notifier is a Store that tells when its active version may have changed,
// in any process (PostgreSQL's LISTEN/NOTIFY), so that a serving process
// switches within a second of the commit instead of at its next poll; and
// when a version or one of its published files was stored, so that it can
// build that version ahead of its activation.
type Notifier interface {
	// Changes returns a channel that receives after each commit that
	// changed the active version, stored a version or wrote a published
	// file of one, and after each reconnection (a change may have been
	// missed meanwhile), until ctx ends, when it is closed. A receive may
	// come when nothing changed; the receiver reads Active and List.
	Changes(ctx context.Context) <-chan struct{}
}

// Locker is a Store shared by processes on several machines that can hold
// a named lock among them all (PostgreSQL's advisory locks): replicas
// started together on an empty store take it to create the first version
// once (catalog.StartOrCreate).
type Locker interface {
	// Lock blocks until this process holds the lock name, or ctx ends;
	// unlock releases it, as the process's death or a lost connection
	// does.
	Lock(ctx context.Context, name string) (unlock func(), err error)
}

// Preparer is a Store whose serving processes build a new version ahead of
// its activation (catalog.Watch) and say when they have, so that the
// process that imports it activates it once they all hold it: every switch
// is then a swap, however large the version.
type Preparer interface {
	// Prepared tells whoever awaits version id that this process built
	// it ahead (or tried and could not: it builds it at the activation).
	Prepared(ctx context.Context, id string) error
	// AwaitPrepared starts listening for the serving processes' word on
	// version id; Await.Wait then waits for it.
	AwaitPrepared(ctx context.Context, id string) (Await, error)
}

// Await is an importer's wait for the serving processes to build a
// version ahead (Preparer.AwaitPrepared).
type Await interface {
	// Wait blocks until every other serving process of the store has
	// told it built the version, or max has passed, or ctx ends, and
	// says how many told of how many.
	Wait(ctx context.Context, max time.Duration) (told, of int, err error)
	// Close stops listening.
	Close()
}

// CachePruner is a Store that keeps local copies of versions' published
// files (store/pgstore) and can drop those of versions no longer needed.
type CachePruner interface {
	// PruneCache removes the local copies of every version but keep
	// whose copies went unmodified for quiet, and returns the versions
	// whose copies it removed.
	PruneCache(keep []string, quiet time.Duration) (removed []string, err error)
}

// Restorer is a Store that can take a version as another store holds it,
// keeping its id, its creation time and its meta (gridmap migrate copy).
type Restorer interface {
	// Restore stores d as version m.ID with manifest m, inactive. A
	// version of that id already present is ErrExists when it differs
	// from m and nil when it is the same (a copy can be resumed).
	Restore(ctx context.Context, d *geo.Dataset, m Manifest) error
}
