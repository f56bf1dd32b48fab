package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/gridmap/gridmap/config"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/internal/dsn"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/store/pgstore"
	"github.com/gridmap/gridmap/version"
)

// runMigrateCopy is gridmap migrate copy --from SRC --to DST: every version
// (ids, manifests, layers, published files, the active pointer), then every
// incident, transition and roster (incident.Copy) of one store into
// another, a data directory or a PostgreSQL store. Each version is checked
// once written, and a copy that stopped can be run again: what the target
// already holds identically is checked and skipped.
func runMigrateCopy(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate copy", stderr)
	from := fs.String("from", "", "the store to copy: a data directory or postgres://USER:PASSWORD@HOST:PORT/DB")
	to := fs.String("to", "", "the store to copy into: a data directory or postgres://…")
	versionsOnly := fs.Bool("versions-only", false, "copy the versions alone, not the incidents and staff")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: gridmap migrate copy --from DIR|postgres://… --to DIR|postgres://… [--versions-only]
Copies every version (same ids, times, meta, published files, the active one),
then every incident and staff roster, from one store into another, checking
each version written. Run it again after an interruption: what the target
already holds is checked and skipped; a different version under the same id
is refused.`)
		fs.PrintDefaults()
	}
	if _, err := parsePositional(fs, args, 0, "no arguments"); err != nil {
		return err
	}
	if *from == "" || *to == "" || *from == *to {
		fs.Usage()
		return fmt.Errorf("%w: want --from and --to, two different stores", errUsage)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	src, err := openCopySide(ctx, *from)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	defer src.close()
	dst, err := openCopySide(ctx, *to)
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	defer dst.close()
	if err := copyVersions(ctx, src.st, dst.st, stdout); err != nil {
		return err
	}
	if *versionsOnly {
		return nil
	}
	return copyIncidents(ctx, src, dst, stdout)
}

// copySide is one store of a copy: its versions, and the configuration
// that opens its incident store.
type copySide struct {
	name string // for messages; a URL's password masked
	cfg  config.Config
	st   store.Store
	tmp  string // the local cache of a PostgreSQL store, removed at the end
}

// openCopySide opens the store named by where: a data directory, or a
// PostgreSQL URL (with a temporary local cache for its published files).
func openCopySide(ctx context.Context, where string) (*copySide, error) {
	c := &copySide{name: where, cfg: config.Default()}
	c.cfg.Data = where
	if isPostgresURL(where) {
		tmp, err := os.MkdirTemp("", "gridmap-copy-")
		if err != nil {
			return nil, err
		}
		c.name, c.tmp, c.cfg.Data, c.cfg.Store = dsn.Mask(where), tmp, tmp, where
	}
	st, err := openStore(ctx, place{Data: c.cfg.Data, Store: c.cfg.Store}, nil)
	if err != nil {
		c.close()
		return nil, err
	}
	c.st = st
	return c, nil
}

func (c *copySide) close() {
	if p, ok := c.st.(*pgstore.Store); ok {
		p.Close()
	}
	if c.tmp != "" {
		os.RemoveAll(c.tmp)
	}
}

// copyVersions copies every version of from into to (store.Copy), with
// their published index and tiles, saying what it did on w.
func copyVersions(ctx context.Context, from, to store.Store, w io.Writer) error {
	o := store.CopyOptions{
		Files: []string{version.IndexFile, version.TilesFile},
		Log:   func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) },
	}
	return store.Copy(ctx, from, to, o)
}

// copyIncidents copies the incidents and rosters of src into dst
// (incident.Copy). A data directory that has no incident store has none
// to copy.
func copyIncidents(ctx context.Context, src, dst *copySide, w io.Writer) error {
	if src.cfg.Store == "" {
		if _, err := os.Stat(filepath.Join(src.cfg.Data, incidentsDB)); errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(w, "no incidents in %s\n", src.name)
			return nil
		}
	}
	from, err := openIncidentStore(ctx, &src.cfg)
	if err != nil {
		return fmt.Errorf("the incidents of %s: %w", src.name, err)
	}
	defer from.Close()
	into, err := openIncidentStore(ctx, &dst.cfg)
	if err != nil {
		return fmt.Errorf("the incidents of %s: %w", dst.name, err)
	}
	defer into.Close()
	if err := incident.Copy(ctx, from, into); err != nil {
		return fmt.Errorf("copy the incidents (the versions are copied; --versions-only skips this part): %w", err)
	}
	fmt.Fprintln(w, "incidents and staff copied")
	return nil
}
