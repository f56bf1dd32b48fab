package auth

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// FileName is the keys file's name in the data directory, its default place
// (config key auth.keys_file; gridmap keys --keys-file).
const FileName = "keys.json"

// DefaultCheckEvery is how often, at most, a Keys looks at its file for a
// change made by another process (gridmap keys add|revoke): a stat a
// second costs nothing beside the requests it serves, and a new or revoked
// key takes effect within a second.
const DefaultCheckEvery = time.Second

// Options configure OpenWith. The zero value means the defaults.
type Options struct {
	// AdminToken is the bootstrap admin token (gridmap serve
	// --admin-token): it authenticates as role admin, named "admin-token",
	// beside the keys of the file. Empty: none.
	AdminToken string
	// CheckEvery is how often, at most, Authenticate looks at the file
	// for a change. Zero: DefaultCheckEvery; negative: never (Reload
	// only).
	CheckEvery time.Duration
	// OnReloadError, when set, is told of a changed keys file that could
	// not be read; the keys read before stay in force until it can.
	OnReloadError func(error)
}

// Keys are the API keys of one keys file, as this process last read them.
// Its methods are safe for concurrent use, and several processes may
// change one file at once: each change takes an exclusive lock (flock on
// PATH.lock), reads the file afresh and replaces it atomically.
type Keys struct {
	path string
	opts Options
	// bootstrap is the principal of Options.AdminToken and its hash (nil
	// without one).
	bootstrap *entry
	// reload serialises reads of the file into set.
	reload sync.Mutex
	set    atomic.Pointer[keySet]
	// armed: a timer will set due CheckEvery after it was armed; due: it
	// is time to look at the file. Authenticate reads no clock (a clock
	// read was a quarter of its time).
	armed, due atomic.Bool
}

// Open opens the keys file at path. A missing file holds no keys (Add
// creates it); a file that is not a valid keys file is an error wrapping
// ErrBadFile.
func Open(path string) (*Keys, error) { return OpenWith(path, Options{}) }

// OpenWith opens the keys file at path as Open does, with options. An
// empty path means no file: only the bootstrap admin token, if any, and no
// keys to add or revoke.
func OpenWith(path string, o Options) (*Keys, error) {
	if o.CheckEvery == 0 {
		o.CheckEvery = DefaultCheckEvery
	}
	k := &Keys{path: path, opts: o}
	if o.AdminToken != "" {
		k.bootstrap = &entry{hash: hashToken(o.AdminToken),
			p: Principal{KeyID: BootstrapID, Name: BootstrapID, Role: RoleAdmin}}
	}
	if err := k.Reload(); err != nil {
		return nil, err
	}
	return k, nil
}

// Path returns the keys file's path ("" for none).
func (k *Keys) Path() string { return k.path }

// List returns the keys, revoked ones too, in the order they were made, as
// the file holds them now.
func (k *Keys) List() ([]Key, error) {
	if err := k.Reload(); err != nil {
		return nil, err
	}
	return slices.Clone(k.set.Load().keys), nil
}

// Add makes a key named name with role and returns its token, which is
// kept nowhere: the caller shows it once. The name must be valid (see
// ErrBadName) and not in use by a key that is not revoked.
func (k *Keys) Add(name string, role Role) (token string, key Key, err error) {
	return k.AddStaff(name, role, "")
}

// AddStaff makes a key as Add does, belonging to the person of staff id
// staff (a grid worker's phone: see Key.Staff); "" is none.
func (k *Keys) AddStaff(name string, role Role, staff string) (token string, key Key, err error) {
	if err := checkName(name); err != nil {
		return "", Key{}, err
	}
	if err := checkStaff(staff); err != nil {
		return "", Key{}, err
	}
	if _, err := ParseRole(string(role)); err != nil {
		return "", Key{}, err
	}
	if token, err = NewToken(); err != nil {
		return "", Key{}, err
	}
	err = k.change(func(keys []Key) ([]Key, error) {
		for _, o := range keys {
			if o.Active() && o.Name == name {
				return nil, fmt.Errorf("%w: %q is key %s (revoke it first)", ErrNameTaken, name, o.ID)
			}
		}
		if key.ID, err = uniqueID(keys); err != nil {
			return nil, err
		}
		key.Name, key.Role, key.Staff, key.Hash = name, role, staff, hashToken(token).String()
		key.Created = time.Now().UTC().Truncate(time.Second)
		return append(keys, key), nil
	})
	if err != nil {
		return "", Key{}, fmt.Errorf("add key %q: %w", name, err)
	}
	return token, key, nil
}

// uniqueID returns a new id no key of keys has.
func uniqueID(keys []Key) (string, error) {
	for {
		id, err := newID()
		if err != nil {
			return "", err
		}
		if !slices.ContainsFunc(keys, func(k Key) bool { return k.ID == id }) {
			return id, nil
		}
	}
}

// Revoke revokes the key whose id is idOrName or else the key not revoked
// named idOrName, and returns it. Its token stops working at once in this
// process, and within Options.CheckEvery in the others.
func (k *Keys) Revoke(idOrName string) (Key, error) {
	var key Key
	err := k.change(func(keys []Key) ([]Key, error) {
		i := slices.IndexFunc(keys, func(o Key) bool { return o.ID == idOrName })
		if i < 0 {
			i = slices.IndexFunc(keys, func(o Key) bool { return o.Active() && o.Name == idOrName })
		}
		if i < 0 && slices.ContainsFunc(keys, func(o Key) bool { return o.Name == idOrName }) {
			return nil, ErrRevoked
		}
		if i < 0 {
			return nil, ErrNotFound
		}
		if !keys[i].Active() {
			return nil, ErrRevoked
		}
		keys[i].Revoked = time.Now().UTC().Truncate(time.Second)
		key = keys[i]
		return keys, nil
	})
	if err != nil {
		return Key{}, fmt.Errorf("revoke key %q: %w", idOrName, err)
	}
	return key, nil
}

// change applies edit to the keys of the file, read afresh under the file's
// lock, and writes the result back atomically; this process's keys are then
// what was written.
func (k *Keys) change(edit func([]Key) ([]Key, error)) error {
	if k.path == "" {
		return ErrNoFile
	}
	unlock, err := lockKeys(k.path)
	if err != nil {
		return err
	}
	defer unlock()
	if err := k.Reload(); err != nil {
		return err
	}
	keys, err := edit(slices.Clone(k.set.Load().keys))
	if err != nil {
		return err
	}
	if err := writeKeys(k.path, keys); err != nil {
		return err
	}
	// read back under the lock: no other writer can come between
	if err := k.Reload(); err != nil {
		return errors.Join(errors.New("read the keys file back"), err)
	}
	return nil
}
