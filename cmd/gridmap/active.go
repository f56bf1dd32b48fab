package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/version"
)

// loadActive returns the active boundary version of the store at at and its
// manifest, or an error telling how to make one.
func loadActive(ctx context.Context, at place) (*geo.Dataset, version.Manifest, error) {
	cat, err := openCatalog(at, version.BuildOptions{}, nil)
	if err != nil {
		return nil, version.Manifest{}, err
	}
	d, m, err := cat.Load(ctx, "active")
	if errors.Is(err, version.ErrNoVersion) {
		return nil, version.Manifest{}, fmt.Errorf("no version in %s: run gridmap import or gridmap serve first", at.Data)
	}
	if err != nil {
		return nil, version.Manifest{}, fmt.Errorf("load the active version of %s: %w", at.Data, err)
	}
	return d, m, nil
}
