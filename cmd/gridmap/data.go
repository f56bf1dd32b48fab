package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/store"
)

// openStore opens the embedded store in dir.
func openStore(dir string) (*store.Dir, error) {
	return store.OpenDir(dir)
}

// activeDataset loads the active version, or returns nil, "" when there is
// none yet.
func activeDataset(ctx context.Context, st store.Store) (*geo.Dataset, store.Manifest, error) {
	id, err := st.Active(ctx)
	if errors.Is(err, store.ErrNoActive) {
		return nil, store.Manifest{}, nil
	}
	if err != nil {
		return nil, store.Manifest{}, err
	}
	d, m, err := st.Load(ctx, id)
	if err != nil {
		return nil, store.Manifest{}, fmt.Errorf("load active version: %w", err)
	}
	return d, m, nil
}
