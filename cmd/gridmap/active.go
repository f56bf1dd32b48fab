package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/version"
)

// loadActive returns the active boundary version of data dir dir and its
// id, or an error telling how to make one.
func loadActive(ctx context.Context, dir string) (*geo.Dataset, string, error) {
	cat, err := openCatalog(dir, version.BuildOptions{}, nil)
	if err != nil {
		return nil, "", err
	}
	d, m, err := cat.Load(ctx, "active")
	if errors.Is(err, version.ErrNoVersion) {
		return nil, "", fmt.Errorf("no version in %s: run gridmap import or gridmap serve first", dir)
	}
	if err != nil {
		return nil, "", fmt.Errorf("load the active version of %s: %w", dir, err)
	}
	return d, m.ID, nil
}
