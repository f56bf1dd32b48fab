package auth

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gofrs/flock"
)

// tmpPattern names the temporary files of writeKeys, beside the keys file.
const tmpPattern = ".tmp-*"

// lockKeys takes the exclusive lock of the keys file at path (a flock on
// PATH.lock, which is never renamed, unlike the file itself), waiting for
// it, and returns its release. The kernel releases it too when the process
// dies. It makes path's directory when needed.
func lockKeys(path string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("keys directory: %w", err)
	}
	l := flock.New(path+".lock", flock.SetPermissions(0o600))
	if err := l.Lock(); err != nil {
		return nil, fmt.Errorf("lock %s: %w", l.Path(), err)
	}
	return func() { l.Unlock() }, nil
}

// writeKeys replaces the keys file at path by keys: written to a temporary
// file of mode 0600 in the same directory, synced, renamed over path, and
// the directory synced, so that a reader (or a crash) sees the old file or
// the new one, whole. The caller holds the lock, so every temporary file
// left there is a dead writer's and is removed first.
func writeKeys(path string, keys []Key) error {
	b, err := encodeKeys(keys)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	prefix := filepath.Base(path)
	if old, err := filepath.Glob(filepath.Join(dir, "."+prefix+tmpPattern)); err == nil {
		for _, o := range old {
			os.Remove(o)
		}
	}
	f, err := os.CreateTemp(dir, "."+prefix+tmpPattern) // mode 0600
	if err != nil {
		return fmt.Errorf("write keys: %w", err)
	}
	tmp := f.Name()
	if err := fill(f, b); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write keys %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write keys: %w", err)
	}
	return syncDir(dir)
}

// fill writes b to f, makes it readable by its owner only, syncs and
// closes it.
func fill(f *os.File, b []byte) error {
	_, err := f.Write(b)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir syncs directory dir, making a rename in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
