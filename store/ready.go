package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Ready implements Store: the directory is there and its ACTIVE file can be
// opened and read (a store without one, before the first activation, is
// reachable). The errors name what failed but not the directory's path,
// which a readiness answer shows to clients.
func (s *Dir) Ready(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	fi, err := os.Stat(s.path)
	if err != nil {
		return fmt.Errorf("%w: store directory: %s", ErrUnreachable, pathless(err))
	}
	if !fi.IsDir() {
		return fmt.Errorf("%w: store directory is not a directory", ErrUnreachable)
	}
	f, err := os.Open(filepath.Join(s.path, "ACTIVE"))
	if errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(s.path, "versions")); err != nil {
			return fmt.Errorf("%w: versions directory: %s", ErrUnreachable, pathless(err))
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: ACTIVE file: %s", ErrUnreachable, pathless(err))
	}
	defer f.Close()
	if _, err := f.Read(make([]byte, 32)); err != nil && err != io.EOF {
		return fmt.Errorf("%w: read ACTIVE file: %s", ErrUnreachable, pathless(err))
	}
	return nil
}

// pathless returns err's message without the path of an *fs.PathError.
func pathless(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}
