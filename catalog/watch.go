package catalog

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/version"
)

// Start builds and serves the store's active version; it is what a server
// does before it listens. It returns when the snapshot is served or when
// ctx ends (the build, which takes no context, is then left to finish in
// the background and is dropped), so a signal stops a start at once.
//
// When the active version cannot be loaded or built (damaged files), Start
// logs why and serves the newest other version that can be, leaving the
// store's pointer as it is. With no active pointer (or an unreadable one),
// Start returns ErrEmpty when the store holds no version at all, else an
// error that names the versions and the command to run; except that a store
// holding one version and no pointer at all gets that version activated (see
// activateOnly).
func (c *Catalog) Start(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- c.start(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("start: %w", ctx.Err())
	}
}

func (c *Catalog) start(ctx context.Context) error {
	c.swap.Lock()
	defer c.swap.Unlock()
	id, aerr := c.st.Active(ctx)
	list, err := c.st.List(ctx)
	if errors.Is(err, store.ErrDamaged) {
		// the intact versions are listed; a damaged one is not a fallback
		c.log.Printf("DAMAGED VERSION: %v", err)
	} else if err != nil {
		return fmt.Errorf("list versions: %w", err)
	}
	if aerr != nil {
		if len(list) == 0 && errors.Is(aerr, store.ErrNoActive) {
			return ErrEmpty
		}
		if len(list) == 1 && errors.Is(aerr, store.ErrNoActive) {
			return c.activateOnly(ctx, list[0].ID)
		}
		if len(list) == 0 {
			return fmt.Errorf("%v, and the store holds no version", aerr)
		}
		first, last := list[0].ID, list[len(list)-1].ID
		return fmt.Errorf("no usable active version (%v) but versions %s..%s exist: run gridmap activate %s (or another; see gridmap versions)", aerr, first, last, last)
	}
	next, err := c.build(ctx, id)
	if err == nil {
		c.serve(next)
		return nil
	}
	if errors.Is(err, version.ErrUnavailable) {
		return fmt.Errorf("active version %s: %w", id, err)
	}
	c.markFailed(id, err)
	c.log.Printf("ACTIVE VERSION %s CANNOT BE SERVED: %v", id, err)
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].ID == id || ctx.Err() != nil {
			continue
		}
		snap, berr := c.build(ctx, list[i].ID)
		if berr != nil {
			c.log.Printf("fallback: %v", berr)
			continue
		}
		c.log.Printf("SERVING VERSION %s INSTEAD OF THE ACTIVE %s, which cannot be served; repair it, or run gridmap activate %s to make the fallback active", snap.Manifest.ID, id, snap.Manifest.ID)
		c.serve(snap)
		c.markFailed(id, err)
		return nil
	}
	return fmt.Errorf("active version %s cannot be served and no other version can: %w", id, err)
}

// activateOnly builds id, the store's only version, makes it active and
// serves it; c.swap must be held. A store holding one version and no
// pointer is what the first import leaves when it is killed between
// publishing its version (whole, and checked) and writing the pointer, which
// is never removed once written: with one version there is nothing to
// choose, and refusing to start would leave a restarted service down until
// someone ran gridmap activate.
func (c *Catalog) activateOnly(ctx context.Context, id string) error {
	next, err := c.build(ctx, id)
	if err != nil {
		return fmt.Errorf("version %s, the only one, was never made active and cannot be served: %w", id, err)
	}
	c.log.Printf("ACTIVATING %s, the only version: the import that published it stopped before making it active", id)
	return c.activateLocked(ctx, next)
}

// Refresh switches to the store's active version when it changed (another
// process activated it). Requests in flight finish on the version they
// started with. A version that cannot be served is logged once, and the
// current one kept, until the pointer moves again.
func (c *Catalog) Refresh(ctx context.Context) error {
	id, err := c.st.Active(ctx)
	if errors.Is(err, store.ErrNoActive) {
		return nil
	}
	if err != nil {
		return err
	}
	if cur := c.cur.Load(); cur != nil && cur.Manifest.ID == id {
		return nil
	}
	c.swap.Lock()
	defer c.swap.Unlock()
	if cur := c.cur.Load(); cur != nil && cur.Manifest.ID == id || id == c.failed {
		return nil
	}
	next, err := c.shared(ctx, id, toServe, func() (*version.Snapshot, error) { return c.build(ctx, id) })
	if errors.Is(err, version.ErrUnavailable) {
		return err // not the version's fault: tried again
	}
	if err != nil {
		c.markFailed(id, err)
		serving := "nothing"
		if cur := c.cur.Load(); cur != nil {
			serving = cur.Manifest.ID
		}
		return fmt.Errorf("still serving %s: %w", serving, err)
	}
	c.serve(next)
	return nil
}

// Watch refreshes every Options.Poll until ctx ends, logging what fails;
// and, when the store is a store.Notifier, at once after each change it
// tells of (PostgreSQL's LISTEN/NOTIFY), the poll then being the fallback.
// With a Notifier and published files (Options.Build.Index), it also
// builds the newest version ahead of its activation once its files are
// stored (prepare, in ahead.go), so that the activation's notification is
// served within milliseconds, not after a build.
// While the store cannot be reached, the version held goes on being served
// and the reads back off (nextPoll); each read keeps StoreErr current.
func (c *Catalog) Watch(ctx context.Context) {
	if c.opts.Poll < 0 {
		return
	}
	t := time.NewTimer(c.opts.Poll)
	defer t.Stop()
	var changes <-chan struct{}
	kick := make(chan struct{}, 1)
	if n, ok := c.st.(store.Notifier); ok {
		changes = n.Changes(ctx)
		if c.opts.Build.Index != nil {
			go c.aheadLoop(ctx, kick)
		}
	}
	last, fails := "", 0
	for {
		told := false
		select {
		case <-ctx.Done():
			return
		case _, ok := <-changes:
			if !ok {
				changes = nil
				continue
			}
			told = true
		case <-t.C:
		}
		err := c.Refresh(ctx)
		fails = c.failedReads(ctx, err, fails)
		if told {
			kickOnce(kick) // a version or its files may have been stored
		}
		t.Reset(nextPoll(c.opts.Poll, fails))
		if err != nil && err.Error() != last && !strings.Contains(err.Error(), context.Canceled.Error()) {
			c.log.Printf("watch: %v", err)
		}
		if err != nil {
			last = err.Error()
		} else {
			last = ""
		}
	}
}

// kickOnce makes ch receive once, unless a receive is already pending.
func kickOnce(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
