package store

import (
	"errors"
	"fmt"
)

// Errors of the store, matched with errors.Is.
var (
	// ErrNotFound is returned for a version id that does not exist.
	ErrNotFound = errors.New("version not found")
	// ErrNoActive is returned when no version has been activated yet.
	ErrNoActive = errors.New("no active version")
	// ErrBadID is returned for a version id that is not well formed.
	ErrBadID = errors.New("malformed version id")
	// ErrDamaged is matched by every error that refuses a version because
	// one of its files is damaged (a *DamagedError says which).
	ErrDamaged = errors.New("version damaged")
	// ErrUnchecked is returned by Dir.Verify for a version written before
	// versions carried checksums: it loads, but its files cannot be checked.
	ErrUnchecked = errors.New("version has no checksums")
	// ErrExists is returned by Restore for a version id already taken by
	// a different version.
	ErrExists = errors.New("version exists")
	// ErrUnreachable is matched by the errors of Ready: the store cannot
	// be read now.
	ErrUnreachable = errors.New("store unreachable")
)

// errChecksum is the cause of a DamagedError when a file's content does not
// match its recorded checksum.
var errChecksum = errors.New("checksum mismatch")

// DamagedError refuses version ID because its file File (a name inside the
// version's directory, such as "layers.bin") is damaged. errors.Is(err,
// ErrDamaged) is true for it.
type DamagedError struct {
	ID   string
	File string
	Err  error
}

// Error implements error.
func (e *DamagedError) Error() string {
	return fmt.Sprintf("version %s: %s is damaged: %v", e.ID, e.File, e.Err)
}

// Unwrap returns the cause.
func (e *DamagedError) Unwrap() error { return e.Err }

// Is reports whether target is ErrDamaged.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }
