package store

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gridmap/gridmap/internal/bigmem"
)

// A version's published files — its point index (package geo/index,
// Index.Encode) as DIR/versions/vN/index.bin, its rendered tiles as
// tiles.pmtiles (see version.Files) — live beside its layers. They are not
// among the files SHA256SUMS lists: the version is published without them
// (gridmap import builds no index), and the first process that builds them
// writes each under a locked temporary name, synced and renamed into place,
// so that a reader finds either no file or a whole one. Each file carries
// its own checksums and names its version, so a reader checks it itself and
// builds the part instead when it fails; a later writer then replaces it.
const tmpFilePrefix = ".tmp-" // versions/vN/.tmp-NAME-*: a write in progress

// checkFileName refuses a published file name that is not a plain name
// of letters, digits, dots and dashes (a path, or a file of the version's
// own such as its manifest).
func checkFileName(name string) error {
	ok := name != "" && name[0] != '.' && name != manifestFile && name != layersFile && name != sumsFile
	for _, r := range name {
		ok = ok && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_')
	}
	if !ok {
		return fmt.Errorf("%w: published file name %q", ErrBadID, name)
	}
	return nil
}

// FilePath returns the path of the published file name of version id,
// which may not exist (yet).
func (s *Dir) FilePath(id, name string) (string, error) {
	if err := checkID(id); err != nil {
		return "", err
	}
	if err := checkFileName(name); err != nil {
		return "", err
	}
	return filepath.Join(s.versionDir(id), name), nil
}

// WriteFile writes the published file name of version id with write,
// atomically: into a locked temporary file of the version's directory,
// synced, renamed over the file and the directory synced. Temporary files
// of dead writers in that directory are removed first. A version that does
// not exist is ErrNotFound.
func (s *Dir) WriteFile(id, name string, write func(io.Writer) error) error {
	if err := checkID(id); err != nil {
		return err
	}
	if err := checkFileName(name); err != nil {
		return err
	}
	dir := s.versionDir(id)
	if _, err := os.Stat(filepath.Join(dir, manifestFile)); os.IsNotExist(err) {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	s.sweepFileTemps(dir)
	f, err := createLocked(func() (*os.File, error) { return os.CreateTemp(dir, tmpFilePrefix+name+"-*") })
	if err != nil {
		return fmt.Errorf("write %s of %s: %w", name, id, err)
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
		// read back from the disk, not as written, the file is mapped
		// on huge pages (bigmem.Uncache)
		err = bigmem.Uncache(f)
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write %s of %s: %w", name, id, err)
	}
	return syncDir(dir)
}

// sweepFileTemps removes the temporary published files of dead writers in
// the version directory dir.
func (s *Dir) sweepFileTemps(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), tmpFilePrefix) {
			removeIfDead(filepath.Join(dir, e.Name()))
		}
	}
}
