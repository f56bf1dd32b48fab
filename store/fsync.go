package store

import (
	"fmt"
	"hash"
	"io"
	"os"
)

// writeFileSync creates path, lets write fill it, and syncs it to disk.
func writeFileSync(path string, write func(*os.File) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeBytesSync writes b to path and syncs it to disk.
func writeBytesSync(path string, b []byte) error {
	return writeFileSync(path, func(f *os.File) error { _, err := f.Write(b); return err })
}

// fillSync writes b to the open, empty file f, makes it readable by all as
// the files of writeFileSync are, and syncs it to disk.
func fillSync(f *os.File, b []byte) error {
	if _, err := f.Write(b); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	return f.Sync()
}

// hashFile adds the content of path to h.
func hashFile(h hash.Hash, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(h, f)
	return err
}

func syncDir(path string) error {
	d, err := os.Open(path)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}
