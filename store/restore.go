package store

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gridmap/gridmap/geo"
)

// Restore implements Restorer: d is written as version m.ID with manifest
// m (its id, creation time, layers and meta as given) the way Publish
// writes a version, inactive. A version of that id already present is nil
// when its manifest and layers are the same as m and d, else ErrExists.
func (s *Dir) Restore(ctx context.Context, d *geo.Dataset, m Manifest) error {
	if err := checkID(m.ID); err != nil {
		return err
	}
	if err := s.sameAs(ctx, d, m); !errors.Is(err, ErrNotFound) {
		return err
	}
	tmp, err := s.newVersionTemp()
	if err != nil {
		return fmt.Errorf("restore %s: %w", m.ID, err)
	}
	defer tmp.Close()
	defer os.RemoveAll(tmp.Name())
	sm := sums{}
	if sm[layersFile], err = writeLayers(filepath.Join(tmp.Name(), layersFile), d); err != nil {
		return fmt.Errorf("restore %s: write layers: %w", m.ID, err)
	}
	b, err := manifestJSON(m)
	if err != nil {
		return err
	}
	sm[manifestFile] = sha256.Sum256(b)
	if err := writeBytesSync(filepath.Join(tmp.Name(), manifestFile), b); err != nil {
		return fmt.Errorf("restore %s: write manifest: %w", m.ID, err)
	}
	if err := writeBytesSync(filepath.Join(tmp.Name(), sumsFile), sm.encode()); err != nil {
		return fmt.Errorf("restore %s: write checksums: %w", m.ID, err)
	}
	if err := syncDir(tmp.Name()); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), s.versionDir(m.ID)); err != nil {
		if os.IsExist(err) || isNotEmpty(err) { // restored meanwhile by another process
			return s.sameAs(ctx, d, m)
		}
		return fmt.Errorf("restore %s: %w", m.ID, err)
	}
	return syncDir(filepath.Join(s.path, "versions"))
}

// sameAs compares version m.ID of s with m and d: nil when they are the
// same, ErrExists when not, ErrNotFound when s has no such version.
func (s *Dir) sameAs(ctx context.Context, d *geo.Dataset, m Manifest) error {
	have, sm, err := s.manifest(m.ID)
	if err != nil {
		return err
	}
	if !SameManifest(have, m) {
		return fmt.Errorf("%w: %s holds another manifest", ErrExists, m.ID)
	}
	sum, err := DatasetSum(d)
	if err != nil {
		return err
	}
	if sm != nil && sm[layersFile] != sum {
		return fmt.Errorf("%w: %s holds other layers", ErrExists, m.ID)
	}
	return nil
}

// DatasetSum returns the SHA-256 of d's encoding (EncodeDataset).
func DatasetSum(d *geo.Dataset) ([sha256.Size]byte, error) {
	h := sha256.New()
	if err := encodeDataset(h, d); err != nil {
		return [sha256.Size]byte{}, fmt.Errorf("encode layers: %w", err)
	}
	return [sha256.Size]byte(h.Sum(nil)), nil
}

// SameManifest reports whether a and b say the same once stored: equal
// as JSON after a round trip through the Manifest type (a Report given as
// a struct equals the map it reads back as), times compared as instants.
func SameManifest(a, b Manifest) bool {
	ja, erra := canonical(a)
	jb, errb := canonical(b)
	return erra == nil && errb == nil && string(ja) == string(jb)
}

// canonical is m's JSON after one round trip through Manifest, its time
// in UTC.
func canonical(m Manifest) ([]byte, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	var back Manifest
	if err := json.Unmarshal(b, &back); err != nil {
		return nil, err
	}
	back.Created = back.Created.UTC().Round(time.Microsecond)
	return json.Marshal(back)
}
