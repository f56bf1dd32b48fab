package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gridmap/gridmap/geo"
)

// Publish implements Store. The version is written into a locked temporary
// directory with its checksums, synced and renamed into place under the next
// free id, so concurrent publishers (in this process or others) get distinct
// ids. When activate is true and the activation fails (a full disk, say), the
// new version, which nobody has used, is removed again: the store is left as
// it was and the error says so.
func (s *Dir) Publish(ctx context.Context, d *geo.Dataset, meta Meta, activate bool) (Manifest, error) {
	versions := filepath.Join(s.path, "versions")
	tmp, err := s.newVersionTemp()
	if err != nil {
		return Manifest{}, fmt.Errorf("publish: %w", err)
	}
	defer tmp.Close()              // drops the lock, after
	defer os.RemoveAll(tmp.Name()) // a no-op after a successful rename
	sm := sums{}
	m := Manifest{Created: s.now().UTC().Truncate(time.Millisecond), Layers: Summarise(d), Meta: meta}
	if sm[layersFile], err = writeLayers(filepath.Join(tmp.Name(), layersFile), d); err != nil {
		return Manifest{}, fmt.Errorf("publish: write layers: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Manifest{}, err
	}
	if m.ID, err = s.claimID(tmp.Name(), m, sm); err != nil {
		return Manifest{}, fmt.Errorf("publish: %w", err)
	}
	if err := syncDir(versions); err != nil {
		return Manifest{}, err
	}
	if activate {
		if err := s.Activate(ctx, m.ID); err != nil {
			return Manifest{}, s.unpublish(m.ID, err)
		}
	}
	return m, nil
}

// writeLayers encodes d into path and returns the SHA-256 of what it wrote.
func writeLayers(path string, d *geo.Dataset) ([sha256.Size]byte, error) {
	h := sha256.New()
	err := writeFileSync(path, func(f *os.File) error { return encodeDataset(io.MultiWriter(f, h), d) })
	return [sha256.Size]byte(h.Sum(nil)), err
}

// claimID finishes the version in directory tmp (its manifest and checksums,
// both naming the id) and renames it to the next free id; the rename fails
// when another publisher took that id first, and the next one is tried.
func (s *Dir) claimID(tmp string, m Manifest, sm sums) (string, error) {
	for attempt := 0; ; attempt++ {
		next, err := s.nextID()
		if err != nil {
			return "", err
		}
		m.ID = next
		b, err := manifestJSON(m)
		if err != nil {
			return "", err
		}
		sm[manifestFile] = sha256.Sum256(b)
		if err := writeBytesSync(filepath.Join(tmp, manifestFile), b); err != nil {
			return "", fmt.Errorf("write manifest: %w", err)
		}
		if err := writeBytesSync(filepath.Join(tmp, sumsFile), sm.encode()); err != nil {
			return "", fmt.Errorf("write checksums: %w", err)
		}
		if err := syncDir(tmp); err != nil {
			return "", err
		}
		err = os.Rename(tmp, s.versionDir(next))
		if err == nil {
			return next, nil
		}
		if attempt > 100 || !os.IsExist(err) && !isNotEmpty(err) {
			return "", err
		}
	}
}

// manifestJSON is the content of a manifest file.
func manifestJSON(m Manifest) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	return b.Bytes(), nil
}

// unpublish removes version id, just published but not activated because
// of cause, and returns the error that says so. The directory is first
// renamed out of the ids, so no reader sees it half removed.
func (s *Dir) unpublish(id string, cause error) error {
	versions := filepath.Join(s.path, "versions")
	gone := filepath.Join(versions, fmt.Sprintf("%s%s%s-%d", tmpVersionPrefix, removedMarker, id, time.Now().UnixNano()))
	err := os.Rename(s.versionDir(id), gone)
	if err == nil {
		err = syncDir(versions)
	}
	if err != nil {
		return fmt.Errorf("publish: %s could not be activated (%w) nor removed again: %v", id, cause, err)
	}
	os.RemoveAll(gone) // still locked by this publish; a later sweep ends what this leaves
	return fmt.Errorf("publish: %s could not be activated, so it was removed again: %w", id, cause)
}

func isNotEmpty(err error) bool {
	return err != nil && strings.Contains(err.Error(), "directory not empty")
}

// nextID returns one more than the highest version number present.
func (s *Dir) nextID() (string, error) {
	ids, err := s.ids()
	if err != nil {
		return "", err
	}
	n := 0
	if len(ids) > 0 {
		n, _ = strconv.Atoi(ids[len(ids)-1][1:])
	}
	return "v" + strconv.Itoa(n+1), nil
}
