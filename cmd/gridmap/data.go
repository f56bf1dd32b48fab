package main

import (
	"log"
	"path/filepath"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/version"
)

// openCatalog opens the catalog of the embedded store in dir; uploads go to
// DIR/uploads. build and logger may be zero.
func openCatalog(dir string, build version.BuildOptions, logger *log.Logger) (*catalog.Catalog, error) {
	return openCatalogWith(dir, catalog.Options{Build: build, Log: logger})
}

// openCatalogWith opens the catalog of the embedded store in dir with the
// options o, whose Store and Uploads it sets.
func openCatalogWith(dir string, o catalog.Options) (*catalog.Catalog, error) {
	st, err := store.OpenDir(dir)
	if err != nil {
		return nil, err
	}
	o.Store, o.Uploads = st, filepath.Join(dir, "uploads")
	return catalog.New(o)
}
