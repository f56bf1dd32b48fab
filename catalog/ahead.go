package catalog

import (
	"context"
	"errors"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/version"
)

// How long a version built ahead of its activation (see Watch) is held
// by default when it is not made active (Options.AheadKeep, AheadWait):
// a minute once it is whole, half an hour while it waits for its
// published tiles (the importing process renders them before it
// activates; a province's take minutes). Its memory (a served version's)
// is then released, and the version is built when activated.
const (
	DefaultAheadKeep = time.Minute
	DefaultAheadWait = 30 * time.Minute
)

// DefaultPrepareWait is how long an import waits by default for the other
// serving processes to build its version ahead (Options.PrepareWait).
const DefaultPrepareWait = 30 * time.Second

// errNotYet is what a build ahead ends with when the version's published
// index is not stored yet: whoever waited on it builds itself.
var errNotYet = errors.New("published index not stored yet")

// aheadBuild is one build of a version shared by whoever asks for it
// while it runs or once it is done: the build ahead of an activation, the
// activation's own, an import's. mu guards the snapshot's completion
// (version.AddTiles) once done.
type aheadBuild struct {
	id    string
	done  chan struct{}
	snap  *version.Snapshot
	err   error
	built time.Time
	mu    sync.Mutex
	whole time.Time // when snap got its tiles
	told  bool      // the store was told (store.Preparer), guarded by mu
}

// aheadSlot holds the one build a catalog shares (guarded by mu): a
// second version replaces the first, whose builder and waiters still get
// it.
type aheadSlot struct {
	mu sync.Mutex
	b  *aheadBuild
	// declined is the last version built ahead and dropped unused: not
	// built ahead again.
	declined string
}

// claim returns the shared build of id and whether the caller is to run
// it (mine) rather than wait for it.
func (a *aheadSlot) claim(id string) (b *aheadBuild, mine bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.b != nil && a.b.id == id {
		return a.b, false
	}
	a.b = &aheadBuild{id: id, done: make(chan struct{})}
	return a.b, true
}

// finish records what b's build gave and wakes its waiters; a build that
// did not give a snapshot is forgotten, so that the next asker runs its
// own.
func (a *aheadSlot) finish(b *aheadBuild, snap *version.Snapshot, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.snap, b.err, b.built = snap, err, time.Now()
	if snap != nil && snap.Complete() {
		b.whole = b.built
	}
	close(b.done)
	if err != nil && a.b == b {
		a.b = nil
	}
}

// drop forgets b, when it is still the shared build.
func (a *aheadSlot) drop(b *aheadBuild) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.b == b {
		a.b = nil
	}
}

// shared returns the snapshot of version id, for mode, from the build
// under way or done for it, or runs build and shares it meanwhile. Every
// build meant to be served goes through it (Refresh, Activate, Import, the
// build ahead), so that a version is built once when they meet. A build
// is forgotten once taken: whoever asks later builds again.
func (c *Catalog) shared(ctx context.Context, id string, mode buildMode, build func() (*version.Snapshot, error)) (*version.Snapshot, error) {
	b, mine := c.ahead.claim(id)
	if mine {
		snap, err := build()
		c.ahead.finish(b, snap, err)
		c.ahead.drop(b)
		return snap, err
	}
	select {
	case <-b.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	c.ahead.drop(b)
	if b.err != nil {
		return build()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := version.AddTiles(b.snap, c.options(mode)); err != nil {
		return nil, &version.UnservableError{ID: id, Err: err}
	}
	c.log.Printf("version %s: served as built ahead of its activation (%.2f s before)", id, time.Since(b.built).Seconds())
	return b.snap, nil
}

// prepare builds ahead the newest version when it is newer than the one
// served, is not active, and its published index is in the store (the
// process that imports a version writes it, then its tiles, before making
// it active), and gives it its tiles once they are stored too: its
// activation then finds it built, and the switch is a swap. The files are
// fetched as they come (a replica of a PostgreSQL store downloads them to
// its cache). A build ahead not made active in time (AheadKeep,
// AheadWait) is dropped.
func (c *Catalog) prepare(ctx context.Context) {
	files, cur := c.opts.Build.Index, c.cur.Load()
	if files == nil || cur == nil {
		return
	}
	c.expire()
	c.prune(cur.Manifest.ID)
	id := c.newest(ctx, cur.Manifest.ID)
	if id == "" {
		return
	}
	b, mine := c.ahead.claim(id)
	if !mine {
		select {
		case <-b.done:
			c.complete(ctx, b)
		default:
		}
		return
	}
	path, err := files.FilePath(id, version.IndexFile)
	if err == nil {
		_, err = os.Stat(path)
	}
	if err != nil {
		c.ahead.finish(b, nil, errNotYet)
		return
	}
	start := time.Now()
	snap, err := c.buildFor(ctx, id, toPrepare)
	c.ahead.finish(b, snap, err)
	if cur := c.cur.Load(); err == nil && cur != nil && cur.Manifest.ID == id {
		c.ahead.drop(b) // served meanwhile, built by another way
		return
	}
	if err != nil {
		c.log.Printf("version %s: not built ahead: %v", id, err)
		c.tell(ctx, b) // the importer need not wait: it is built at the activation
		return
	}
	c.log.Printf("version %s built ahead of its activation in %.2f s", id, time.Since(start).Seconds())
	c.complete(ctx, b)
}

// pruneQuiet is how long a version's local copies must have gone
// unmodified before prune removes them: a download just begun (by a
// refresh prune did not see) is left alone.
const pruneQuiet = time.Minute

// DropCopies removes every local copy of published files the store keeps
// (store.CachePruner): for a process that serves nothing once its work is
// done (gridmap import on a shared store), whose copies would otherwise
// stay on its disk, 5.5 GB a province's version.
func (c *Catalog) DropCopies() error {
	p, ok := c.st.(store.CachePruner)
	if !ok {
		return nil
	}
	_, err := p.PruneCache(nil, 0)
	return err
}

// prune drops the store's local copies of the files of versions neither
// served nor built ahead (store.CachePruner). It runs where prepare does,
// so that it never meets a download of prepare's.
func (c *Catalog) prune(served string) {
	p, ok := c.st.(store.CachePruner)
	if !ok {
		return
	}
	keep := []string{served}
	c.ahead.mu.Lock()
	if b := c.ahead.b; b != nil {
		keep = append(keep, b.id)
	}
	c.ahead.mu.Unlock()
	removed, err := p.PruneCache(keep, pruneQuiet)
	if err != nil {
		c.log.Printf("cache: %v", err)
	}
	if len(removed) > 0 {
		c.log.Printf("cache: the local copies of the files of %v removed (serving %s)", removed, served)
	}
}

// newest returns the store's newest version when it is to be built
// ahead: newer than served, not being made active by this process, not
// active (a refresh builds that), not declined; else "".
func (c *Catalog) newest(ctx context.Context, served string) string {
	list, err := c.st.List(ctx)
	if err != nil && !errors.Is(err, store.ErrDamaged) || len(list) == 0 {
		return ""
	}
	id := list[len(list)-1].ID
	if id == served || !slices.ContainsFunc(list, func(m store.Manifest) bool { return m.ID == served }) {
		return "" // none newer, or the served one is not listed (a fallback, a store replaced)
	}
	if own := c.own.Load(); own != nil && *own == id {
		return "" // this process makes it active
	}
	if active, _ := c.st.Active(ctx); active == id {
		return ""
	}
	c.ahead.mu.Lock()
	defer c.ahead.mu.Unlock()
	if c.ahead.declined == id {
		return ""
	}
	return id
}

// complete gives b's snapshot its published tiles when they are stored
// now, and tells the store once it is whole; b is done.
func (c *Catalog) complete(ctx context.Context, b *aheadBuild) {
	if b.err != nil {
		return
	}
	b.mu.Lock()
	if !b.snap.Complete() {
		if err := version.AddTiles(b.snap, c.options(toPrepare)); err != nil {
			c.log.Printf("version %s: tiles not added ahead: %v", b.id, err)
		} else if b.snap.Complete() {
			b.whole = time.Now()
			c.log.Printf("version %s: published tiles added to the build ahead", b.id)
		}
	}
	whole := b.snap.Complete()
	b.mu.Unlock()
	if whole {
		c.tell(ctx, b)
	}
}

// tell tells the store, once per build, that this process built b's
// version ahead, or tried (store.Preparer): the process importing it
// activates it once every serving process has told.
func (c *Catalog) tell(ctx context.Context, b *aheadBuild) {
	p, ok := c.st.(store.Preparer)
	if !ok {
		return
	}
	b.mu.Lock()
	told := b.told
	b.told = true
	b.mu.Unlock()
	if told {
		return
	}
	if err := p.Prepared(ctx, b.id); err != nil {
		c.log.Printf("version %s: %v", b.id, err)
	}
}

// expire drops the version built ahead when it has waited AheadKeep for
// its activation since it was whole (Options.AheadKeep; AheadWait since it
// was built while it waits for its tiles), and remembers not to build it
// ahead again.
func (c *Catalog) expire() {
	c.ahead.mu.Lock()
	defer c.ahead.mu.Unlock()
	b := c.ahead.b
	if b == nil {
		return
	}
	select {
	case <-b.done:
	default:
		return
	}
	b.mu.Lock()
	whole := b.whole
	b.mu.Unlock()
	if whole.IsZero() && time.Since(b.built) < c.opts.AheadWait || !whole.IsZero() && time.Since(whole) < c.opts.AheadKeep {
		return
	}
	c.log.Printf("version %s: built ahead %s ago and not made active; dropped", b.id, time.Since(b.built).Round(time.Second))
	c.ahead.b, c.ahead.declined = nil, b.id
}

// aheadLoop runs prepare each time kick receives, one at a time, and
// after Options.AheadKeep without one (to drop an unused build), until ctx
// ends.
func (c *Catalog) aheadLoop(ctx context.Context, kick <-chan struct{}) {
	t := time.NewTimer(c.opts.AheadKeep)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-kick:
		case <-t.C:
		}
		c.prepare(ctx)
		t.Reset(c.opts.AheadKeep)
	}
}

// awaitPrepared starts listening for the serving processes' word that
// they built version id ahead (store.Preparer), for an import that is
// about to build and publish it; nil when the store tells nothing or
// Options.PrepareWait is negative.
func (c *Catalog) awaitPrepared(ctx context.Context, id string) store.Await {
	p, ok := c.st.(store.Preparer)
	if !ok || c.opts.PrepareWait < 0 {
		return nil
	}
	aw, err := p.AwaitPrepared(ctx, id)
	if err != nil {
		c.log.Printf("version %s: activated without waiting for the other replicas: %v", id, err)
		return nil
	}
	return aw
}

// waitPrepared waits, up to Options.PrepareWait, until the other serving
// processes have built version id ahead, its files being published; the
// activation follows either way.
func (c *Catalog) waitPrepared(ctx context.Context, aw store.Await, id string) {
	if aw == nil {
		return
	}
	start := time.Now()
	told, of, err := aw.Wait(ctx, c.opts.PrepareWait)
	switch {
	case err != nil:
		c.log.Printf("version %s: activated without waiting for the other replicas: %v", id, err)
	case of > 0:
		c.log.Printf("version %s: %d of %d other replicas built it ahead; waited %.2f s to activate it", id, told, of, time.Since(start).Seconds())
	}
}
