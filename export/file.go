package export

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// outputMode is the mode exported files are created with, less the umask:
// readable by all, like any file a program writes (os.CreateTemp's 0600
// kept exports from the web server that should publish them).
const outputMode = 0o644

// createBeside creates a new file in the directory of path, named by
// pattern with its "*" replaced by a random string (as
// os.CreateTemp), with mode outputMode less the umask, for writing a file
// that commit then renames to path.
func createBeside(path, pattern string) (*os.File, error) {
	prefix, suffix, _ := strings.Cut(pattern, "*")
	for range 100 {
		name := filepath.Join(filepath.Dir(path), prefix+rand.Text()+suffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, outputMode)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("create a file beside %s: too many attempts", path)
}

// commit syncs and closes f, a file written beside path, and renames it to
// path.
func commit(f *os.File, path string) error {
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
