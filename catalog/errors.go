package catalog

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/version"
)

// ErrEmpty is returned by Start for a store without any version (and no
// active pointer): the one case where a server may import a sample.
var ErrEmpty = errors.New("the store holds no version")

// mapped is a store error that also matches the version package's error
// of the same meaning, so that layers without the store can match it.
type mapped struct {
	err  error
	also error
}

func (e *mapped) Error() string        { return e.err.Error() }
func (e *mapped) Unwrap() error        { return e.err }
func (e *mapped) Is(target error) bool { return target == e.also }

// storeErr makes the store's not-found, bad-id and damage errors match
// version.ErrNotFound, version.ErrBadID and version.ErrDamaged; other
// errors pass unchanged.
func storeErr(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return &mapped{err, version.ErrNotFound}
	case errors.Is(err, store.ErrBadID):
		return &mapped{err, version.ErrBadID}
	case errors.Is(err, store.ErrDamaged):
		return &mapped{err, version.ErrDamaged}
	}
	return err
}

// manifest returns the version package's view of a store manifest: its
// JSON as every process reads it from the store, whether m was read there
// or is what Publish returned (whose meta holds the importer's report as
// the importer made it, not as it reads back). The published index and
// tiles are keyed by this JSON (version.BuildOptions), so the process that
// imports a version must give the key that the others will compute.
func manifest(m store.Manifest) (version.Manifest, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return version.Manifest{}, fmt.Errorf("manifest %s: %w", m.ID, err)
	}
	var read store.Manifest
	if err := json.Unmarshal(b, &read); err != nil {
		return version.Manifest{}, fmt.Errorf("manifest %s: %w", m.ID, err)
	}
	if b, err = json.Marshal(read); err != nil {
		return version.Manifest{}, fmt.Errorf("manifest %s: %w", m.ID, err)
	}
	return version.Manifest{ID: m.ID, JSON: b}, nil
}

// Detail returns the store's manifest behind m, for the CLI's listings.
func Detail(m version.Manifest) (store.Manifest, error) {
	var sm store.Manifest
	if err := json.Unmarshal(m.JSON, &sm); err != nil {
		return store.Manifest{}, fmt.Errorf("manifest %s: %w", m.ID, err)
	}
	return sm, nil
}
