package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"
	"unicode/utf8"
)

// Key is one API key of the keys file. Its token is not kept, only Hash.
type Key struct {
	// ID is 8 lower-case hex digits, given when the key is made.
	ID string `json:"id"`
	// Name says whose key it is ("hotline-12345"); unique among the keys
	// not revoked, and the name logs and metrics show for the caller.
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Hash is the token's SHA-256: "sha256:" and 64 hex digits.
	Hash    string    `json:"hash"`
	Created time.Time `json:"created"`
	// Revoked is when the key was revoked; zero while it is valid.
	Revoked time.Time `json:"revoked,omitzero"`
	// Staff is the staff id (a roster's person id) of the person the key
	// belongs to, for a grid worker's key: GET /api/v1/me/incidents lists
	// the incidents assigned to it. Empty: none.
	Staff string `json:"staff,omitempty"`
}

// Active reports whether k is not revoked.
func (k Key) Active() bool { return k.Revoked.IsZero() }

// fileFormat is the format number of the keys file this package writes
// and reads.
const fileFormat = 1

// keysFile is the keys file's JSON: {"format":1,"keys":[...]}.
type keysFile struct {
	Format int   `json:"format"`
	Keys   []Key `json:"keys"`
}

var (
	idPattern   = regexp.MustCompile(`^[0-9a-f]{8}$`)
	namePattern = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._@-]*$`)
)

// maxNameRunes caps a key name.
const maxNameRunes = 64

// checkName returns an ErrBadName error unless name is a valid key name:
// letters, digits and ._@- (it is written to logs), starting with a letter
// or digit, at most 64 characters, and not shaped like a key id (so that
// "revoke ID|NAME" is never ambiguous).
func checkName(name string) error {
	switch {
	case !utf8.ValidString(name) || !namePattern.MatchString(name):
		return fmt.Errorf("%w %q: letters, digits and ._@- only, starting with a letter or digit", ErrBadName, name)
	case utf8.RuneCountInString(name) > maxNameRunes:
		return fmt.Errorf("%w %q: longer than %d characters", ErrBadName, name, maxNameRunes)
	case idPattern.MatchString(name):
		return fmt.Errorf("%w %q: 8 hex digits are a key id", ErrBadName, name)
	}
	return nil
}

// parseKeys reads a keys file. Every key must be valid, ids unique and the
// names of the keys not revoked unique; members the format does not know
// are refused. Errors wrap ErrBadFile and name the key at fault.
func parseKeys(b []byte) ([]Key, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f keysFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadFile, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: data after the keys", ErrBadFile)
	}
	if f.Format != fileFormat {
		return nil, fmt.Errorf("%w: format %d, want %d", ErrBadFile, f.Format, fileFormat)
	}
	ids, names := map[string]bool{}, map[string]bool{}
	for i, k := range f.Keys {
		if err := checkKey(k); err != nil {
			return nil, fmt.Errorf("%w: key %d: %w", ErrBadFile, i, err)
		}
		if ids[k.ID] {
			return nil, fmt.Errorf("%w: key %d: id %s given twice", ErrBadFile, i, k.ID)
		}
		ids[k.ID] = true
		if k.Active() {
			if names[k.Name] {
				return nil, fmt.Errorf("%w: key %d: name %q given to two keys not revoked", ErrBadFile, i, k.Name)
			}
			names[k.Name] = true
		}
	}
	return f.Keys, nil
}

// checkKey checks one key of a keys file.
func checkKey(k Key) error {
	if !idPattern.MatchString(k.ID) {
		return fmt.Errorf("id %q: want 8 lower-case hex digits", k.ID)
	}
	if err := checkName(k.Name); err != nil {
		return err
	}
	if _, err := ParseRole(string(k.Role)); err != nil {
		return err
	}
	if _, err := parseHash(k.Hash); err != nil {
		return err
	}
	if k.Created.IsZero() {
		return errors.New("no created time")
	}
	return checkStaff(k.Staff)
}

// checkStaff returns an ErrBadStaff error unless staff is empty or a valid
// staff id: letters, digits and ._@-, starting with a letter or digit, at
// most 64 characters.
func checkStaff(staff string) error {
	if staff == "" {
		return nil
	}
	if !utf8.ValidString(staff) || !namePattern.MatchString(staff) || utf8.RuneCountInString(staff) > maxNameRunes {
		return fmt.Errorf("%w %q: letters, digits and ._@- only, starting with a letter or digit, at most %d characters", ErrBadStaff, staff, maxNameRunes)
	}
	return nil
}

// encodeKeys writes keys as a keys file, one key a line.
func encodeKeys(keys []Key) ([]byte, error) {
	if keys == nil {
		keys = []Key{}
	}
	b, err := json.MarshalIndent(keysFile{Format: fileFormat, Keys: keys}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode keys: %w", err)
	}
	return append(b, '\n'), nil
}
