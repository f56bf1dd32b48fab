package pgstore

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gridmap/gridmap/internal/bigmem"
	"github.com/gridmap/gridmap/store"
	"github.com/jackc/pgx/v5"
)

// The published files of version.Files live in the database (chunks, as
// a version's dataset does) and, once used, in the local cache directory:
// CACHE/pgstore/vN/NAME beside CACHE/pgstore/vN/.NAME.sum, the SHA-256 of
// the database's file it is a copy of. FilePath downloads a file whose copy
// is missing or stale; WriteFile writes the local copy and uploads it in one
// transaction. A file the database does not hold has no local copy either.
const (
	cacheDir  = "pgstore"
	tmpPrefix = ".tmp-"
	// queryTimeout bounds the small queries of FilePath and WriteFile,
	// which take no context: a database that does not answer is an
	// error, not a hang (the transfers themselves are not bounded).
	queryTimeout = 10 * time.Second
)

// localPath is the local copy of file name of version id.
func (s *Store) localPath(id, name string) (string, error) {
	if err := store.CheckID(id); err != nil {
		return "", err
	}
	if err := store.CheckFileName(name); err != nil {
		return "", err
	}
	if s.cache == "" {
		return "", errors.New("pgstore: published files need Options.Cache, a local directory")
	}
	return filepath.Join(s.cache, cacheDir, id, name), nil
}

// sumPath is where the checksum of the local copy at path is kept.
func sumPath(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".sum")
}

// FilePath implements version.Files: the path of the local copy of the
// published file name of version id, brought up to date with the database
// first (downloaded when missing or stale, removed when the database holds
// no such file, so that the path does not exist). When the database cannot
// be reached, a local copy is used as it is (the index file names its
// version; a stale one is refused by its reader) and without one the error
// is returned.
func (s *Store) FilePath(id, name string) (string, error) {
	path, err := s.localPath(id, name)
	if err != nil {
		return "", err
	}
	n, _ := num(id)
	ctx := context.Background()
	var want []byte
	qctx, cancel := context.WithTimeout(ctx, queryTimeout)
	err = s.pool.QueryRow(qctx, "SELECT sha256 FROM gridmap.files WHERE version = $1 AND name = $2", n, name).Scan(&want)
	cancel()
	switch {
	case errNoRows(err):
		os.Remove(sumPath(path))
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			return "", fmt.Errorf("remove the stale copy of %s of %s: %w", name, id, err)
		}
		return path, nil
	case err != nil:
		if _, serr := os.Stat(path); serr == nil {
			return path, nil
		}
		return "", fmt.Errorf("%s of %s: %w", name, id, s.clean(err))
	}
	if have, err := os.ReadFile(sumPath(path)); err == nil && strings.TrimSpace(string(have)) == hex.EncodeToString(want) {
		if _, err := os.Stat(path); err == nil {
			return path, nil
		}
	}
	if err := s.download(ctx, n, name, path); err != nil {
		return "", fmt.Errorf("download %s of %s: %w", name, id, s.clean(err))
	}
	return path, nil
}

// download copies file name of version n from the database to path,
// through a temporary file renamed into place, with its checksum beside.
func (s *Store) download(ctx context.Context, n int32, name, path string) error {
	var sum []byte
	err := s.replaceLocal(path, func(w io.Writer) error {
		return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
			if err := tx.QueryRow(ctx, "SELECT sha256 FROM gridmap.files WHERE version = $1 AND name = $2", n, name).Scan(&sum); err != nil {
				return err
			}
			return readChunks(ctx, tx, n, name, w)
		})
	})
	if err != nil {
		return err
	}
	return writeSum(path, sum)
}

// WriteFile implements version.Files: write writes the local copy (a
// temporary file), which is uploaded in one transaction, replacing the
// database's file, and then renamed into place. A reader finds the old
// file, none, or the whole new one, here and in every other process. The
// commit notifies PublishedChannel. A version that does not exist is
// store.ErrNotFound.
func (s *Store) WriteFile(id, name string, write func(io.Writer) error) error {
	path, err := s.localPath(id, name)
	if err != nil {
		return err
	}
	n, _ := num(id)
	ctx := context.Background()
	if err := s.exists(ctx, n); err != nil {
		return err
	}
	var sum [32]byte
	err = s.replaceLocal(path, func(w io.Writer) error {
		f := w.(*os.File)
		bw := bufio.NewWriterSize(f, 1<<20)
		if err := write(bw); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			// one writer of a file at a time: a second one replaces the first's
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", "gridmap.files/"+id+"/"+name); err != nil {
				return err
			}
			if sum, err = writeChunks(ctx, tx, n, name, bufio.NewReaderSize(f, 1<<20)); err != nil {
				return err
			}
			return notify(ctx, tx, PublishedChannel, id+"/"+name)
		})
	})
	if err != nil {
		return fmt.Errorf("write %s of %s: %w", name, id, s.clean(err))
	}
	return writeSum(path, sum[:])
}

// exists returns nil when version n exists, else store.ErrNotFound.
func (s *Store) exists(ctx context.Context, n int32) error {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	var one int
	err := s.pool.QueryRow(ctx, "SELECT 1 FROM gridmap.versions WHERE num = $1", n).Scan(&one)
	if errNoRows(err) {
		return fmt.Errorf("%w: %s", store.ErrNotFound, idOf(n))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", idOf(n), s.clean(err))
	}
	return nil
}

// replaceLocal makes the file at path with fill, which is given the
// temporary file (an *os.File) to write: synced and renamed over path
// when fill succeeds, removed when not. The checksum beside path is
// removed first: a copy without one is downloaded again.
func (s *Store) replaceLocal(path string, fill func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, tmpPrefix+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer f.Close()
	err = fill(f)
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		// read back from the disk, not as written, the file is mapped
		// on huge pages (bigmem.Uncache)
		err = bigmem.Uncache(f)
	}
	if err == nil {
		err = os.Remove(sumPath(path))
		if os.IsNotExist(err) {
			err = nil
		}
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// writeSum records sum as the checksum of the local copy at path.
func writeSum(path string, sum []byte) error {
	tmp := sumPath(path) + ".tmp"
	if err := os.WriteFile(tmp, []byte(hex.EncodeToString(sum)+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, sumPath(path))
}
