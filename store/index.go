package store

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// A version's published point index (package geo/index, Index.Encode) lives
// beside its layers, as DIR/versions/vN/index.bin. It is not one of the
// files SHA256SUMS lists: the version is published without it (gridmap
// import builds no index), and the first process that builds the version's
// index writes it, under a locked temporary name, synced and renamed into
// place, so that a reader finds either no file or a whole one. The file
// carries its own checksums and names its version (see geo/index), so a
// reader checks it itself and builds the index instead when it fails; a
// later writer then replaces it.
const (
	indexFile      = "index.bin"
	tmpIndexPrefix = ".index.bin.tmp-" // versions/vN/.index.bin.tmp-*: a write in progress
)

// IndexPath returns the path of the published index file of version id,
// which may not exist (yet).
func (s *Dir) IndexPath(id string) (string, error) {
	if err := checkID(id); err != nil {
		return "", err
	}
	return filepath.Join(s.versionDir(id), indexFile), nil
}

// WriteIndex writes the published index file of version id with write,
// atomically: into a locked temporary file of the version's directory,
// synced, renamed over index.bin and the directory synced. Temporary files
// of dead writers in that directory are removed first. A version that does
// not exist is ErrNotFound.
func (s *Dir) WriteIndex(id string, write func(io.Writer) error) error {
	if err := checkID(id); err != nil {
		return err
	}
	dir := s.versionDir(id)
	if _, err := os.Stat(filepath.Join(dir, manifestFile)); os.IsNotExist(err) {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	s.sweepIndexTemps(dir)
	f, err := createLocked(func() (*os.File, error) { return os.CreateTemp(dir, tmpIndexPrefix+"*") })
	if err != nil {
		return fmt.Errorf("write index of %s: %w", id, err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, indexFile))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write index of %s: %w", id, err)
	}
	return syncDir(dir)
}

// sweepIndexTemps removes the temporary index files of dead writers in the
// version directory dir.
func (s *Dir) sweepIndexTemps(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), tmpIndexPrefix) {
			removeIfDead(filepath.Join(dir, e.Name()))
		}
	}
}
