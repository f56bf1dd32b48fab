package catalog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/version"
)

// readyTimeout bounds one check of the store (store.Store.Ready): a
// database that does not answer a ping within it counts as unreachable, so
// that a readiness probe or a write refused while it is away answers in
// bounded time, not after the kernel's TCP timeout.
const readyTimeout = 2 * time.Second

// maxWatchBackoff caps the wait between two of Watch's reads of a store
// that cannot be reached: the wait doubles from Options.Poll after each
// failed read, so a dead database costs a replica one connection attempt
// every 4 s, and one back from a restart is noticed within 4 s (sooner by a
// store.Notifier, which tells of its own reconnection).
const maxWatchBackoff = 4 * time.Second

// reach is what the last check of the store found.
type reach struct {
	err   error // nil: reachable; else matching version.ErrUnavailable
	since time.Time
}

// StoreErr returns nil when the store answered the last time it was used
// or checked, else why it did not (an error matching
// version.ErrUnavailable). It costs nothing: Watch, Ready and the writes
// keep it current. The version served is served either way.
func (c *Catalog) StoreErr() error {
	if r := c.reach.Load(); r != nil {
		return r.err
	}
	return nil
}

// Writable returns nil when the store can take a write now (an import, an
// activation, an incident), else an error matching version.ErrUnavailable.
// A store that answered its last check is trusted; one that did not is
// asked again, so that a write succeeds as soon as the database is back.
func (c *Catalog) Writable(ctx context.Context) error {
	if c.StoreErr() == nil {
		return nil
	}
	return c.checkStore(ctx)
}

// checkStore asks the store whether it can be read now, within
// readyTimeout, records the answer and returns it (nil, or an error
// matching version.ErrUnavailable). A check cut short because ctx ended
// records nothing.
func (c *Catalog) checkStore(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	err := c.st.Ready(cctx)
	if ctx.Err() != nil {
		return unavailable(err)
	}
	c.setReach(err)
	return c.StoreErr()
}

// setReach records whether the store could be read (err nil) or not, and
// logs each change.
func (c *Catalog) setReach(err error) {
	old := c.reach.Load()
	was := old == nil || old.err == nil
	switch {
	case err == nil && was:
		return
	case err == nil:
		c.reach.Store(&reach{since: time.Now()})
		c.log.Printf("store reachable again after %.1f s: writes accepted", time.Since(old.since).Seconds())
	case was:
		c.reach.Store(&reach{err: unavailable(err), since: time.Now()})
		c.log.Printf("STORE UNREACHABLE: %v; serving the version held, refusing writes until it is back", err)
	default:
		c.reach.Store(&reach{err: unavailable(err), since: old.since})
	}
}

// unavailable returns err made to match version.ErrUnavailable and
// store.ErrUnreachable; nil for nil.
func unavailable(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, version.ErrUnavailable):
		return err
	case !errors.Is(err, store.ErrUnreachable):
		err = fmt.Errorf("%w: %w", store.ErrUnreachable, err)
	}
	return &mapped{err, version.ErrUnavailable}
}

// storeFault returns the error of a store operation that failed with err:
// made to match version.ErrUnavailable when the store says it is
// unreachable or cannot be read now (a database gone in the middle of the
// operation), else err as it is. nil for nil.
func (c *Catalog) storeFault(ctx context.Context, err error) error {
	if err == nil || errors.Is(err, version.ErrUnavailable) {
		return err
	}
	if errors.Is(err, store.ErrUnreachable) {
		c.setReach(err)
		return unavailable(err)
	}
	if ctx.Err() == nil && c.checkStore(ctx) != nil {
		return unavailable(err)
	}
	return err
}

// failedReads returns how many of Watch's reads of the store in a row
// failed because it could not be reached, after a refresh that ended with
// err (fails before it), and keeps StoreErr current.
func (c *Catalog) failedReads(ctx context.Context, err error, fails int) int {
	switch {
	case err == nil:
		if c.StoreErr() != nil {
			c.checkStore(ctx) // back? (a directory store reads no pointer as none)
		}
		return 0
	case errors.Is(c.storeFault(ctx, err), version.ErrUnavailable):
		return fails + 1
	}
	return 0
}

// nextPoll returns Watch's wait before its next read of the store: the
// poll while the store answers, else doubling with each failed read
// (fails, 1 for the first) up to maxWatchBackoff.
func nextPoll(poll time.Duration, fails int) time.Duration {
	d := poll
	for i := 0; i < fails && d < maxWatchBackoff; i++ {
		d *= 2
	}
	return min(d, max(poll, maxWatchBackoff))
}
