package auth

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// BootstrapID is the key id and name of the bootstrap admin token
// (Options.AdminToken) in logs: not a key of the file.
const BootstrapID = "admin-token"

// Principal is who presented a valid token: the key's id, name and role,
// and the staff id of the person the key belongs to ("" for none). The
// Principals Authenticate returns are shared and must not be changed.
type Principal struct {
	KeyID string
	Name  string
	Role  Role
	Staff string
}

// Can reports whether p's role grants perm.
func (p *Principal) Can(perm Permission) bool { return p.Role.Can(perm) }

// entry is a token hash and who it authenticates.
type entry struct {
	hash tokenHash
	p    Principal
}

// keySet is the keys of the file as read at one time.
type keySet struct {
	keys []Key
	// active are the keys not revoked, ready to compare.
	active []entry
	// info is the file's as it was read (nil: there was none).
	info os.FileInfo
}

// Authenticate returns who token belongs to: the bootstrap admin token or a
// key not revoked, or ErrInvalidToken. The comparison is of the token's
// SHA-256 against every hash, each in constant time and none skipped, so
// the time it takes says nothing of the stored hashes. At most once every
// Options.CheckEvery it first looks whether the file changed and reads it
// again. It allocates nothing.
func (k *Keys) Authenticate(token string) (*Principal, error) {
	k.maybeReload()
	h := hashToken(token)
	var found *Principal
	if b := k.bootstrap; b != nil && b.hash.equal(&h) {
		found = &b.p
	}
	set := k.set.Load()
	for i := range set.active {
		if set.active[i].hash.equal(&h) && found == nil {
			found = &set.active[i].p
		}
	}
	if found == nil {
		return nil, ErrInvalidToken
	}
	return found, nil
}

// HasAdmin reports whether any credential can administer: the bootstrap
// admin token or a key of role admin not revoked.
func (k *Keys) HasAdmin() bool {
	if k.bootstrap != nil {
		return true
	}
	k.maybeReload()
	for _, e := range k.set.Load().active {
		if e.p.Role == RoleAdmin {
			return true
		}
	}
	return false
}

// maybeReload reloads the file when it is time to look and it changed;
// an error keeps the keys read before and goes to Options.OnReloadError.
// The first call after a look arms a timer that makes the next look due
// CheckEvery later, at the first call after that.
func (k *Keys) maybeReload() {
	if k.path == "" || k.opts.CheckEvery < 0 {
		return
	}
	if !k.armed.Load() {
		if k.armed.CompareAndSwap(false, true) {
			time.AfterFunc(k.opts.CheckEvery, func() { k.due.Store(true) })
		}
		return
	}
	if !k.due.Load() || !k.due.CompareAndSwap(true, false) {
		return
	}
	k.armed.Store(false)
	if err := k.Reload(); err != nil && k.opts.OnReloadError != nil {
		k.opts.OnReloadError(err)
	}
}

// Reload reads the keys file again if it changed since it was last read
// (another inode, size or modification time: every write replaces it by
// rename). On error the keys read before stay in force.
func (k *Keys) Reload() error {
	if k.path == "" {
		if k.set.Load() == nil {
			k.set.Store(&keySet{})
		}
		return nil
	}
	k.reload.Lock()
	defer k.reload.Unlock()
	info, err := os.Stat(k.path)
	if errors.Is(err, fs.ErrNotExist) {
		info, err = nil, nil
	}
	if err != nil {
		return fmt.Errorf("keys file: %w", err)
	}
	if old := k.set.Load(); old != nil && sameFile(old.info, info) {
		return nil
	}
	set, err := readSet(k.path, info)
	if err != nil {
		return err
	}
	k.set.Store(set)
	return nil
}

// sameFile reports whether a and b (nil: no file) are one version of a
// file.
func sameFile(a, b os.FileInfo) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// readSet reads the keys file at path, whose stat (taken before, so that a
// change after it is seen at the next look) is info; nil info: no file.
func readSet(path string, info os.FileInfo) (*keySet, error) {
	set := &keySet{info: info}
	if info == nil {
		return set, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &keySet{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("keys file: %w", err)
	}
	if set.keys, err = parseKeys(b); err != nil {
		return nil, fmt.Errorf("keys file %s: %w", path, err)
	}
	for _, key := range set.keys {
		if !key.Active() {
			continue
		}
		h, _ := parseHash(key.Hash) // checked by parseKeys
		set.active = append(set.active, entry{hash: h, p: Principal{KeyID: key.ID, Name: key.Name, Role: key.Role, Staff: key.Staff}})
	}
	return set, nil
}
