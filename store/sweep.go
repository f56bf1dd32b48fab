package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Temporary entries of writers, and how a sweep tells a dead writer's from a
// live one's: each writer holds an exclusive flock on its entry (the
// directory of a publish, the pointer file of an activation) from the moment
// it creates it until it is done; the kernel drops the lock when the writer
// dies. A sweep removes an entry only when it takes that lock without
// waiting, so it never removes the work of a live writer, in this process or
// another, and readers never wait for writers.
const (
	tmpVersionPrefix = ".tmp-"    // versions/.tmp-*: a publish in progress
	tmpActivePrefix  = ".ACTIVE." // .ACTIVE.*.tmp: an activation in progress
	tmpActiveSuffix  = ".tmp"     //
	maxCreateRetries = 10         // sweeps racing one creation
	removedMarker    = "removed-" // versions/.tmp-removed-*: a version being removed
)

// createLocked makes a temporary entry with create and holds an exclusive
// flock on it. A sweep that removed the entry between its creation and the
// lock is seen by comparing the locked file with the one at its path; the
// entry is then made again.
func createLocked(create func() (*os.File, error)) (*os.File, error) {
	for attempt := 0; attempt < maxCreateRetries; attempt++ {
		f, err := create()
		if errors.Is(err, fs.ErrNotExist) {
			continue // swept between creation and open
		}
		if err != nil {
			return nil, err
		}
		if err := lockFile(f); err != nil {
			f.Close()
			os.RemoveAll(f.Name())
			return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
		}
		if samePath(f) {
			return f, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("temporary entry swept %d times in a row", maxCreateRetries)
}

// newVersionTemp makes and locks the temporary directory of a publish.
func (s *Dir) newVersionTemp() (*os.File, error) {
	return createLocked(func() (*os.File, error) {
		p, err := os.MkdirTemp(filepath.Join(s.path, "versions"), tmpVersionPrefix)
		if err != nil {
			return nil, err
		}
		return os.Open(p)
	})
}

// newPointerTemp makes and locks the temporary pointer file of an
// activation.
func (s *Dir) newPointerTemp() (*os.File, error) {
	return createLocked(func() (*os.File, error) {
		return os.CreateTemp(s.path, tmpActivePrefix+"*"+tmpActiveSuffix)
	})
}

// samePath reports whether f is still the file at its path.
func samePath(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	pi, err := os.Lstat(f.Name())
	return err == nil && os.SameFile(fi, pi)
}

// sweep removes the temporary entries of dead writers: unfinished version
// directories and activation pointer files. Errors are ignored: whatever is
// left is tried again at the next open.
func (s *Dir) sweep() {
	if ents, err := os.ReadDir(filepath.Join(s.path, "versions")); err == nil {
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), tmpVersionPrefix) {
				removeIfDead(filepath.Join(s.path, "versions", e.Name()))
			}
		}
	}
	if ents, err := os.ReadDir(s.path); err == nil {
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), tmpActivePrefix) && strings.HasSuffix(e.Name(), tmpActiveSuffix) {
				removeIfDead(filepath.Join(s.path, e.Name()))
			}
		}
	}
}

// removeIfDead removes path when no live writer holds its lock, and reports
// whether it did.
func removeIfDead(path string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	if ok, err := tryLockFile(f); !ok || err != nil {
		return false, err
	}
	if !samePath(f) {
		return false, nil // removed and made again by someone else
	}
	return true, os.RemoveAll(path)
}
