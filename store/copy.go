package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// Files is what Copy needs of a store's published files (version.Files,
// which store does not import).
type Files interface {
	FilePath(id, name string) (string, error)
	WriteFile(id, name string, write func(io.Writer) error) error
}

// CopyOptions configure Copy.
type CopyOptions struct {
	// Files are the names of the published files to copy with each
	// version when both stores keep them (version.IndexFile,
	// version.TilesFile); a version without one is copied without it.
	Files []string
	// Log receives a line per version; nil discards them.
	Log func(format string, args ...any)
}

// Copy copies every version of from into to, oldest first, as from holds
// it (id, creation time, layers, meta: Restorer), with its published
// files, and then points to's active version where from's points. to must
// be a Restorer. It can be resumed: a version to already holds the same is
// checked and skipped, one it holds differently is ErrExists. Each version
// is checked once written, by restoring it again (which compares manifest
// and layers' checksum); the lists of both stores are compared at the end.
func Copy(ctx context.Context, from, to Store, o CopyOptions) error {
	r, ok := to.(Restorer)
	if !ok {
		return fmt.Errorf("copy: the target store (%T) cannot restore versions", to)
	}
	logf := o.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	list, err := from.List(ctx)
	if err != nil {
		return fmt.Errorf("copy: list the source's versions: %w", err)
	}
	for _, m := range list {
		if err := copyVersion(ctx, from, to, r, m, o.Files, logf); err != nil {
			return fmt.Errorf("copy %s: %w", m.ID, err)
		}
	}
	if err := copyActive(ctx, from, to, logf); err != nil {
		return err
	}
	return sameLists(ctx, list, to)
}

// copyVersion copies version m of from into to (r) with its files.
func copyVersion(ctx context.Context, from, to Store, r Restorer, m Manifest, files []string, logf func(string, ...any)) error {
	start := time.Now()
	_, err := to.Manifest(ctx, m.ID)
	there := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	d, lm, err := from.Load(ctx, m.ID)
	if err != nil {
		return err
	}
	if err := r.Restore(ctx, d, lm); err != nil {
		return err
	}
	if err := r.Restore(ctx, d, lm); err != nil {
		return fmt.Errorf("check: %w", err)
	}
	n, err := copyFiles(from, to, m.ID, files)
	if err != nil {
		return err
	}
	what := "copied"
	if there {
		what = "already there, checked"
	}
	logf("%s: %s (%d layers, %d published files) in %.1f s", m.ID, what, len(lm.Layers), n, time.Since(start).Seconds())
	return nil
}

// copyFiles copies the published files names of version id from from to
// to when both keep them, and returns how many there were.
func copyFiles(from, to Store, id string, names []string) (int, error) {
	ff, ok1 := from.(Files)
	tf, ok2 := to.(Files)
	if !ok1 || !ok2 {
		return 0, nil
	}
	n := 0
	for _, name := range names {
		path, err := ff.FilePath(id, name)
		if err != nil {
			return n, err
		}
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return n, err
		}
		err = tf.WriteFile(id, name, func(w io.Writer) error { _, err := io.Copy(w, f); return err })
		f.Close()
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// copyActive points to's active version where from's points, if anywhere.
func copyActive(ctx context.Context, from, to Store, logf func(string, ...any)) error {
	id, err := from.Active(ctx)
	if errors.Is(err, ErrNoActive) {
		logf("no active version to copy")
		return nil
	}
	if err != nil {
		return fmt.Errorf("copy: the source's active version: %w", err)
	}
	if err := to.Activate(ctx, id); err != nil {
		return fmt.Errorf("copy: activate %s: %w", id, err)
	}
	logf("active version: %s", id)
	return nil
}

// sameLists checks that to lists every version of want with the same
// manifest.
func sameLists(ctx context.Context, want []Manifest, to Store) error {
	got, err := to.List(ctx)
	if err != nil {
		return fmt.Errorf("copy: list the target's versions: %w", err)
	}
	have := make(map[string]Manifest, len(got))
	for _, m := range got {
		have[m.ID] = m
	}
	for _, m := range want {
		if h, ok := have[m.ID]; !ok || !SameManifest(h, m) {
			return fmt.Errorf("copy: check: the target's %s differs from the source's", m.ID)
		}
	}
	return nil
}
