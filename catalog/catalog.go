// Package catalog owns a version's life: import → check → publish → build →
// activate, the snapshot being served, and the versions published by other
// processes on the same store. The CLI and the HTTP layer call the same
// functions; the catalog works against the store.Store interface only.
//
// Every activation builds the version's snapshot first: a version that
// cannot be loaded or built never becomes active (for the CLI and for the
// server alike), and a running server keeps serving what it serves.
package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/version"
)

// DefaultPoll is how often Watch reads the store's active pointer: one
// small file on a directory store. A version activated by another process
// is served after at most this plus its build (see the README for the
// measured bound).
const DefaultPoll = 250 * time.Millisecond

// Options configure a Catalog. Zero fields take the defaults documented on
// them.
type Options struct {
	// Store holds the versions; required.
	Store store.Store
	// Build configures the snapshots built of versions.
	Build version.BuildOptions
	// Poll is how often Watch checks the store's active version. Default
	// DefaultPoll; negative makes Watch return at once.
	Poll time.Duration
	// Uploads is the directory that holds uploaded files while they are
	// imported, one subdirectory per upload named after the process; those
	// of dead processes are removed by New. Default
	// $TMPDIR/gridmap-uploads; a server sets DIR/uploads of its data dir.
	Uploads string
	// PublishOnly is for a process that serves nothing (gridmap import):
	// Import publishes and activates a version that passed every check
	// without building its snapshot, which on a province would take minutes
	// and several times the import's memory only to be thrown away. A
	// serving process that then cannot build it keeps the version it serves
	// (see Refresh). Activate builds first all the same.
	PublishOnly bool
	// Log receives what the catalog does and what goes wrong; default
	// discards it.
	Log *log.Logger
	// AheadKeep and AheadWait bound how long a version built ahead of its
	// activation is held unused (see Watch): AheadKeep once it is whole,
	// AheadWait while it waits for its published tiles. Defaults
	// DefaultAheadKeep, DefaultAheadWait.
	AheadKeep, AheadWait time.Duration
	// PrepareWait bounds how long an import, its version built and its
	// files published, waits for the store's other serving processes to
	// build it ahead (store.Preparer) before activating it, so that each
	// switches by a swap. Default DefaultPrepareWait; negative: no wait.
	PrepareWait time.Duration
	// WarmTiles renders, in the background, the tiles a wall opens at
	// into each version's cache once it is served (warm.go), for a server
	// whose first page should not wait for them (gridmap serve).
	WarmTiles bool
}

// Validate checks o and fills in defaults.
func (o *Options) Validate() error {
	if o.Store == nil {
		return errors.New("catalog: Options.Store is required")
	}
	if o.Poll == 0 {
		o.Poll = DefaultPoll
	}
	if o.AheadKeep <= 0 {
		o.AheadKeep = DefaultAheadKeep
	}
	if o.AheadWait <= 0 {
		o.AheadWait = DefaultAheadWait
	}
	if o.PrepareWait == 0 {
		o.PrepareWait = DefaultPrepareWait
	}
	if o.Uploads == "" {
		o.Uploads = filepath.Join(os.TempDir(), "gridmap-uploads")
	}
	if o.Log == nil {
		o.Log = log.New(io.Discard, "", 0)
	}
	if o.Build.Log == nil {
		o.Build.Log = o.Log
	}
	if files, ok := o.Store.(version.Files); ok && o.Build.Index == nil {
		o.Build.Index = files // published point index files (version/pubindex.go)
	}
	return nil
}

// Catalog is the one owner of a store's versions in a process. It is safe
// for concurrent use.
type Catalog struct {
	opts Options
	st   store.Store
	log  *log.Logger
	cur  atomic.Pointer[version.Snapshot]
	// imports serialises imports and activations: each works over the
	// active version, so two at once would lose one's changes.
	imports sync.Mutex
	// swap serialises building and swapping snapshots, so that a version
	// is built once even when the watch and an activation meet.
	swap sync.Mutex
	// failed is the active id whose snapshot could not be built; the
	// watch does not retry it until the pointer moves (guarded by swap).
	failed string
	// unservable is the same for readers that must not wait on a build
	// (health checks): the active version not served, and why; nil while
	// the active version is the one served.
	unservable atomic.Pointer[version.Unservable]
	// reach is what the last check or use of the store found (reach.go).
	reach atomic.Pointer[reach]
	// ahead is the build of a version shared by whoever needs it, and
	// the version built ahead of its activation (ahead.go).
	ahead aheadSlot
	// own is the version this process's import or activation is making
	// active: not built ahead as well.
	own atomic.Pointer[string]

	subMu sync.Mutex
	subs  map[*func(version.Event)]struct{}
}

// New returns the catalog of opts.Store and sweeps the uploads left by dead
// processes. It serves nothing until Start, Refresh or Activate.
func New(opts Options) (*Catalog, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	c := &Catalog{opts: opts, st: opts.Store, log: opts.Log, subs: map[*func(version.Event)]struct{}{}}
	sweepUploads(opts.Uploads, c.log)
	return c, nil
}

// Current returns the snapshot being served, or nil before the first.
func (c *Catalog) Current() *version.Snapshot { return c.cur.Load() }

// Subscribe calls fn with every switch of the version served, until cancel
// is called. fn is called with the switch under way and must not block.
func (c *Catalog) Subscribe(fn func(version.Event)) (cancel func()) {
	c.subMu.Lock()
	defer c.subMu.Unlock()
	p := &fn
	c.subs[p] = struct{}{}
	return func() {
		c.subMu.Lock()
		defer c.subMu.Unlock()
		delete(c.subs, p)
	}
}

// Unservable returns the store's active version when it cannot be served
// (so that another, or none, is served instead) and why; nil when the
// active version is the one served or none has been tried.
func (c *Catalog) Unservable() *version.Unservable { return c.unservable.Load() }

// Ready returns nil when a version is served and the store can be read
// now (a readiness probe; the store is asked, within readyTimeout, and the
// answer recorded for StoreErr); else version.ErrNoVersion, or the store's
// error saying what is missing, which matches version.ErrUnavailable and
// store.ErrUnreachable (the version held is served all the same).
func (c *Catalog) Ready(ctx context.Context) error {
	err := c.checkStore(ctx)
	if c.cur.Load() == nil {
		return version.ErrNoVersion
	}
	return err
}

// markFailed records that the active version id cannot be served because of
// err; c.swap must be held.
func (c *Catalog) markFailed(id string, err error) {
	c.failed = id
	c.unservable.Store(&version.Unservable{ID: id, Reason: err.Error()})
}

// serve makes next the snapshot served and tells the subscribers; c.swap
// must be held.
func (c *Catalog) serve(next *version.Snapshot) {
	prev := c.cur.Swap(next)
	ev := version.Event{ID: next.Manifest.ID}
	if prev != nil {
		ev.Previous = prev.Manifest.ID
	}
	c.failed = ""
	c.unservable.Store(nil)
	c.log.Printf("serving version %s", ev.ID)
	if c.opts.WarmTiles {
		go c.warm(next)
	}
	c.subMu.Lock()
	defer c.subMu.Unlock()
	for fn := range c.subs {
		(*fn)(ev)
	}
}

// buildMode says what a build is for.
type buildMode int

const (
	// toServe is a build served once done (a start, a refresh).
	toServe buildMode = iota
	// toActivate precedes this process's own activation of the version,
	// so its published files are made before (version.BuildOptions.TilesNow).
	toActivate
	// toPrepare is a build ahead of another process's activation, which
	// may come before the version's published tiles are stored
	// (version.BuildOptions.TilesLater; ahead.go).
	toPrepare
)

// options returns the build options of mode.
func (c *Catalog) options(mode buildMode) version.BuildOptions {
	o := c.opts.Build
	o.TilesNow = mode == toActivate
	o.TilesLater = mode == toPrepare
	return o
}

// build loads version id and builds its snapshot; a version that cannot be
// loaded or built is an *version.UnservableError.
func (c *Catalog) build(ctx context.Context, id string) (*version.Snapshot, error) {
	return c.buildFor(ctx, id, toServe)
}

// buildFor is build, for mode.
func (c *Catalog) buildFor(ctx context.Context, id string, mode buildMode) (*version.Snapshot, error) {
	start := time.Now()
	d, m, err := c.st.Load(ctx, id)
	loaded := time.Now()
	if err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrBadID) {
			return nil, storeErr(err)
		}
		if werr := c.storeFault(ctx, err); errors.Is(werr, version.ErrUnavailable) {
			// not the version's fault: tried again once the store is back
			return nil, fmt.Errorf("load version %s: %w", id, werr)
		}
		return nil, &version.UnservableError{ID: id, Err: err}
	}
	snap, err := c.buildData(m, d, mode)
	if err == nil {
		c.log.Printf("version %s loaded and built in %.2f s (layers loaded in %.2f s)", id, time.Since(start).Seconds(), loaded.Sub(start).Seconds())
	}
	return snap, err
}

// buildData builds the snapshot of a loaded version for mode.
func (c *Catalog) buildData(m store.Manifest, d *geo.Dataset, mode buildMode) (*version.Snapshot, error) {
	vm, err := manifest(m)
	if err != nil {
		return nil, &version.UnservableError{ID: m.ID, Err: err}
	}
	snap, err := version.Build(vm, d, c.options(mode))
	if err != nil {
		return nil, &version.UnservableError{ID: m.ID, Err: err}
	}
	return snap, nil
}

// Activate builds the snapshot of version id and only then makes id the
// store's active version and serves it. A version that cannot be loaded or
// built (an *version.UnservableError) changes nothing: the store's pointer
// and the snapshot served stay as they were.
func (c *Catalog) Activate(ctx context.Context, id string) error {
	c.imports.Lock()
	defer c.imports.Unlock()
	c.swap.Lock()
	defer c.swap.Unlock()
	if cur := c.cur.Load(); cur != nil && cur.Manifest.ID == id {
		// already served (a fallback made active, say): only the pointer moves
		if err := c.st.Activate(ctx, id); err != nil {
			return storeErr(c.storeFault(ctx, err))
		}
		c.failed = ""
		c.unservable.Store(nil)
		return nil
	}
	if err := c.Writable(ctx); err != nil {
		return err
	}
	c.own.Store(&id)
	defer c.own.Store(nil)
	next, err := c.shared(ctx, id, toActivate, func() (*version.Snapshot, error) { return c.buildFor(ctx, id, toActivate) })
	if err != nil {
		return err
	}
	return c.activateLocked(ctx, next)
}

// activateLocked points the store at next's version and serves it; c.swap
// must be held.
func (c *Catalog) activateLocked(ctx context.Context, next *version.Snapshot) error {
	if err := c.st.Activate(ctx, next.Manifest.ID); err != nil {
		return storeErr(c.storeFault(ctx, fmt.Errorf("activate %s: %w", next.Manifest.ID, err)))
	}
	c.serve(next)
	return nil
}

// List returns the id of the store's active version ("" for none) and
// every version's manifest, oldest first. When some versions are damaged,
// it returns the intact ones together with an error matching
// version.ErrDamaged that names the others; a store that cannot be reached
// gives an error matching version.ErrUnavailable.
func (c *Catalog) List(ctx context.Context) (active string, list []version.Manifest, err error) {
	ms, lerr := c.st.List(ctx)
	if lerr != nil && !errors.Is(lerr, store.ErrDamaged) {
		return "", nil, c.storeFault(ctx, fmt.Errorf("list versions: %w", lerr))
	}
	list = make([]version.Manifest, 0, len(ms))
	for _, m := range ms {
		vm, err := manifest(m)
		if err != nil {
			return "", nil, err
		}
		list = append(list, vm)
	}
	active, _ = c.st.Active(ctx)
	if lerr != nil {
		return active, list, storeErr(fmt.Errorf("list versions: %w", lerr))
	}
	return active, list, nil
}

// Load reads version id, or the active one for "" or "active".
func (c *Catalog) Load(ctx context.Context, id string) (*geo.Dataset, version.Manifest, error) {
	if id == "" || id == "active" {
		a, err := c.st.Active(ctx)
		if errors.Is(err, store.ErrNoActive) {
			return nil, version.Manifest{}, fmt.Errorf("%w: no active version", version.ErrNoVersion)
		}
		if err != nil {
			return nil, version.Manifest{}, c.storeFault(ctx, err)
		}
		id = a
	}
	d, m, err := c.st.Load(ctx, id)
	if err != nil {
		return nil, version.Manifest{}, storeErr(c.storeFault(ctx, fmt.Errorf("load version %s: %w", id, err)))
	}
	vm, err := manifest(m)
	return d, vm, err
}

// activeData returns the active version's dataset (the one served, when it
// is the active one) and its id; nil and "" when there is none yet.
func (c *Catalog) activeData(ctx context.Context) (*geo.Dataset, string, error) {
	id, err := c.st.Active(ctx)
	if errors.Is(err, store.ErrNoActive) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	if snap := c.cur.Load(); snap != nil && snap.Manifest.ID == id {
		return snap.Data, id, nil
	}
	d, _, err := c.st.Load(ctx, id)
	if err != nil {
		return nil, "", fmt.Errorf("load active version %s: %w", id, err)
	}
	return d, id, nil
}
