package catalog

import (
	"context"
	"errors"
	"fmt"

	"github.com/gridmap/gridmap/store"
)

// firstLock is the name of the store lock (store.Locker) under which a
// process creates a store's first version.
const firstLock = "first-version"

// StartOrCreate is Start for a process that makes the first version
// itself when the store holds none (gridmap serve imports the bundled
// sample). On ErrEmpty it takes the store's lock when the store is a
// store.Locker and starts again, so that of several replicas started
// together on an empty shared store one creates the version and the
// others serve it. create is called, holding the lock, only when the
// store is still empty; it publishes and activates the version (an
// Import), which is then served. created says whether it was called.
func (c *Catalog) StartOrCreate(ctx context.Context, create func(context.Context) error) (created bool, err error) {
	err = c.Start(ctx)
	if !errors.Is(err, ErrEmpty) {
		return false, err
	}
	if l, ok := c.st.(store.Locker); ok {
		unlock, err := l.Lock(ctx, firstLock)
		if err != nil {
			return false, storeErr(c.storeFault(ctx, err))
		}
		defer unlock()
		if err := c.Start(ctx); !errors.Is(err, ErrEmpty) {
			if err == nil {
				c.log.Printf("version %s was created by another process while this one waited", c.cur.Load().Manifest.ID)
			}
			return false, err
		}
	}
	if err := create(ctx); err != nil {
		return true, err
	}
	if c.cur.Load() == nil {
		if err := c.Start(ctx); err != nil {
			return true, fmt.Errorf("serve the version created: %w", err)
		}
	}
	return true, nil
}
