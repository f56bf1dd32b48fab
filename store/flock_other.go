//go:build !unix

package store

import "os"

// lockFile does nothing where flock is missing.
func lockFile(*os.File) error { return nil }

// tryLockFile reports every temporary entry as held where flock is missing,
// so that nothing a live writer may own is ever swept.
func tryLockFile(*os.File) (bool, error) { return false, nil }
