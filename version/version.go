// Package version holds one version of the grids as it is served: its
// manifest, its dataset and everything built from it once (point index, tile
// source and cache, lookup encoder, search index), immutable once built. It
// also holds the words the HTTP layer and the CLI share with the catalog of
// versions (package catalog): import requests and results, progress, events
// and errors. It imports neither the store nor the importer, so that the HTTP
// layer can use it without them, and knows nothing of HTTP.
package version

import (
	"encoding/json"
	"errors"
)

// Errors of versions, matched with errors.Is.
var (
	// ErrNoVersion: no version is being served yet.
	ErrNoVersion = errors.New("no version is active yet")
	// ErrNotFound: the version id names no stored version.
	ErrNotFound = errors.New("version not found")
	// ErrBadID: the version id is not well formed.
	ErrBadID = errors.New("malformed version id")
	// ErrUnservable: the version is stored but its snapshot cannot be built
	// (or it cannot be loaded), so it is not made active.
	ErrUnservable = errors.New("version cannot be served")
	// ErrRejected: an import's checks failed; nothing changed.
	ErrRejected = errors.New("import rejected")
	// ErrBadImport: an import failed for a reason other than its checks
	// (an option it cannot use, a file it cannot open).
	ErrBadImport = errors.New("bad import")
	// ErrDamaged: a stored version's files fail their checksums or cannot
	// be decoded; the error names the version and the file.
	ErrDamaged = errors.New("version damaged")
	// ErrUnavailable: the store cannot be reached now (a database that went
	// away); writes are refused and may be retried, while the version
	// served goes on being served.
	ErrUnavailable = errors.New("store unavailable")
)

// Manifest is what the layers above the store know of a stored version: its
// id, and the store's manifest as JSON, which they pass on unread. It
// encodes to that JSON.
type Manifest struct {
	ID   string
	JSON json.RawMessage
}

// MarshalJSON returns the store's manifest.
func (m Manifest) MarshalJSON() ([]byte, error) {
	if len(m.JSON) == 0 {
		return []byte("null"), nil
	}
	return m.JSON, nil
}

// Unservable names the store's active version when it cannot be served,
// and why (another version, or none, is served instead).
type Unservable struct {
	// ID is the active version's id.
	ID string `json:"active"`
	// Reason is what failed, naming the file when it is damage.
	Reason string `json:"problem"`
}

// Event tells subscribers that the version being served changed.
type Event struct {
	// ID is the version now served.
	ID string
	// Previous is the version served before, "" for the first.
	Previous string
}
