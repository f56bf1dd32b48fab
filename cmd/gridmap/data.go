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
	st, err := store.OpenDir(dir)
	if err != nil {
		return nil, err
	}
	return catalog.New(catalog.Options{Store: st, Build: build, Log: logger, Uploads: filepath.Join(dir, "uploads")})
}
