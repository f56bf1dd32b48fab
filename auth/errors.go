package auth

import "errors"

// Errors of the package, matched with errors.Is.
var (
	// ErrInvalidToken: no key (and not the bootstrap admin token) has the
	// token presented, or its key is revoked.
	ErrInvalidToken = errors.New("unknown or revoked token")
	// ErrBadRole: a role that is not one of Roles.
	ErrBadRole = errors.New("unknown role")
	// ErrBadName: a key name that is empty, too long, of characters other
	// than letters, digits and ._@-, or shaped like a key id.
	ErrBadName = errors.New("bad key name")
	// ErrBadStaff: a key's staff id of characters other than letters,
	// digits and ._@-, or too long.
	ErrBadStaff = errors.New("bad staff id")
	// ErrNameTaken: an active key already has the name.
	ErrNameTaken = errors.New("key name in use")
	// ErrNotFound: no key has the id or name.
	ErrNotFound = errors.New("no such key")
	// ErrRevoked: the key is already revoked.
	ErrRevoked = errors.New("key already revoked")
	// ErrNoFile: the keys were opened without a file, and cannot change.
	ErrNoFile = errors.New("no keys file")
	// ErrBadFile: the keys file is not a valid keys file.
	ErrBadFile = errors.New("bad keys file")
)
