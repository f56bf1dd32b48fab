package main

import (
	"context"
	"flag"
	"io"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/config"
	"github.com/gridmap/gridmap/internal/dsn"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/store/pgstore"
	"github.com/gridmap/gridmap/version"
)

// place is where a command's versions live: the data directory and, for
// the shared store, its PostgreSQL URL (the data directory then keeps the
// local copies of published files, the uploads and the keys).
type place struct {
	Data  string
	Store string
}

// placeOf is the place a configuration names.
func placeOf(cfg *config.Config) place { return place{Data: cfg.Data, Store: cfg.Store} }

// storeFlag registers --store on fs, for the commands that take --data.
func storeFlag(fs *flag.FlagSet) *string {
	return fs.String("store", os.Getenv("GRIDMAP_STORE"), "shared store: a PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DB; default $GRIDMAP_STORE); empty: the embedded store in --data")
}

// pgPoll is how often a catalog on the PostgreSQL store reads its active
// pointer: LISTEN/NOTIFY wakes it at once (pgstore.Store.Changes), the
// poll is the fallback for a notification lost with a connection.
const pgPoll = 5 * time.Second

// openStore opens the store of at: the PostgreSQL store of at.Store (its
// schema migrated, at.Data its local cache) or the embedded store in
// at.Data. Every command that opens a catalog opens its store here. logger
// may be nil.
func openStore(ctx context.Context, at place, logger *log.Logger) (store.Store, error) {
	if !isPostgresURL(at.Store) {
		return store.OpenDir(at.Data)
	}
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return pgstore.Open(ctx, at.Store, pgstore.Options{Cache: at.Data, Log: logger})
}

// openCatalog opens the catalog of the store at at; uploads go to
// DATA/uploads. build and logger may be zero.
func openCatalog(at place, build version.BuildOptions, logger *log.Logger) (*catalog.Catalog, error) {
	return openCatalogWith(at, catalog.Options{Build: build, Log: logger})
}

// openCatalogWith opens the catalog of the store at at with the options
// o, whose Store and Uploads it sets (and Poll, for the PostgreSQL store,
// when o leaves it zero).
func openCatalogWith(at place, o catalog.Options) (*catalog.Catalog, error) {
	st, err := openStore(context.Background(), at, o.Log)
	if err != nil {
		return nil, err
	}
	if _, ok := st.(*pgstore.Store); ok && o.Poll == 0 {
		o.Poll = pgPoll
	}
	o.Store, o.Uploads = st, filepath.Join(at.Data, "uploads")
	return catalog.New(o)
}

// storeName names cfg's store for a log line: the PostgreSQL URL with its
// password masked, or "embedded".
func storeName(cfg *config.Config) string {
	if isPostgresURL(cfg.Store) {
		return dsn.Mask(cfg.Store)
	}
	return "embedded"
}
