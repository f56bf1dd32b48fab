package server

import (
	"context"
	"fmt"

	"github.com/gridmap/gridmap/catalog"
)

// NewTestServer returns a server over a new catalog of co, serving the
// store's active version (if any); with co.Poll > 0 the catalog watches the
// store until ctx ends. For the tests of this package.
func NewTestServer(ctx context.Context, co catalog.Options, o Options) (*Server, *catalog.Catalog, error) {
	cat, err := catalog.New(co)
	if err != nil {
		return nil, nil, err
	}
	if err := cat.Refresh(ctx); err != nil {
		return nil, nil, fmt.Errorf("serve the active version: %w", err)
	}
	if co.Poll > 0 {
		go cat.Watch(ctx)
	}
	o.Versions = cat
	srv, err := New(ctx, o)
	return srv, cat, err
}
