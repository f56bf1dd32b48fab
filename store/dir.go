package store

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gridmap/gridmap/geo"
)

// Dir is the embedded store: versions in a directory.
//
//	DIR/ACTIVE                      id of the active version
//	DIR/versions/v7/manifest.json   the version's manifest
//	DIR/versions/v7/layers.bin      its layers (see encode.go)
//	DIR/versions/v7/SHA256SUMS      checksums of both (see sums.go)
//	DIR/versions/v7/index.bin       its published point index, once built (see index.go)
//
// A version is written under a temporary name, synced and renamed into
// place; ACTIVE is replaced by rename. A kill at any moment leaves either the
// old or the new state whole, and a half-written version is never visible.
// Several processes may use one directory at once: writers lock their
// temporary entries (see sweep.go) and readers take no lock. A version whose
// files do not match their checksums is refused with a *DamagedError.
type Dir struct {
	path string
	now  func() time.Time
}

var idPattern = regexp.MustCompile(`^v[1-9][0-9]{0,9}$`)

// OpenDir opens (creating when needed) the store at path, and removes what
// dead writers left there.
func OpenDir(path string) (*Dir, error) {
	if err := os.MkdirAll(filepath.Join(path, "versions"), 0o755); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	d := &Dir{path: path, now: time.Now}
	d.sweep()
	return d, nil
}

// Path returns the store's directory.
func (s *Dir) Path() string { return s.path }

func (s *Dir) versionDir(id string) string { return filepath.Join(s.path, "versions", id) }

func checkID(id string) error {
	if !idPattern.MatchString(id) {
		return fmt.Errorf("%w: %q (want v followed by a number)", ErrBadID, id)
	}
	return nil
}

// ids returns the ids of the finished versions in numeric order.
func (s *Dir) ids() ([]string, error) {
	ents, err := os.ReadDir(filepath.Join(s.path, "versions"))
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	var ids []string
	for _, e := range ents {
		if e.IsDir() && idPattern.MatchString(e.Name()) {
			ids = append(ids, e.Name())
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		a, _ := strconv.Atoi(ids[i][1:])
		b, _ := strconv.Atoi(ids[j][1:])
		return a < b
	})
	return ids, nil
}

// Activate implements Store. It refuses a version whose manifest or
// checksums are damaged; damage to its layers is found by Load or Verify,
// which read them whole.
func (s *Dir) Activate(ctx context.Context, id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	if _, err := s.Manifest(ctx, id); err != nil {
		return err
	}
	f, err := s.newPointerTemp()
	if err != nil {
		return fmt.Errorf("activate %s: %w", id, err)
	}
	defer f.Close()
	if err := fillSync(f, []byte(id+"\n")); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("activate %s: %w", id, err)
	}
	if err := os.Rename(f.Name(), filepath.Join(s.path, "ACTIVE")); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("activate %s: %w", id, err)
	}
	return syncDir(s.path)
}

// Active implements Store.
func (s *Dir) Active(ctx context.Context) (string, error) {
	b, err := os.ReadFile(filepath.Join(s.path, "ACTIVE"))
	if os.IsNotExist(err) {
		return "", ErrNoActive
	}
	if err != nil {
		return "", fmt.Errorf("read active version: %w", err)
	}
	id := strings.TrimSpace(string(b))
	if err := checkID(id); err != nil {
		return "", fmt.Errorf("ACTIVE file: %w", err)
	}
	return id, nil
}

// Manifest implements Store. It returns a *DamagedError (ErrDamaged) when
// the manifest or the checksums of the version are damaged.
func (s *Dir) Manifest(ctx context.Context, id string) (Manifest, error) {
	m, _, err := s.manifest(id)
	return m, err
}

// manifest reads and checks the manifest of version id, and returns the
// version's checksums too (nil for a version written without them).
func (s *Dir) manifest(id string) (Manifest, sums, error) {
	if err := checkID(id); err != nil {
		return Manifest{}, nil, err
	}
	b, err := os.ReadFile(filepath.Join(s.versionDir(id), manifestFile))
	if os.IsNotExist(err) {
		return Manifest{}, nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return Manifest{}, nil, fmt.Errorf("read manifest %s: %w", id, err)
	}
	sm, err := s.readSums(id)
	if err != nil {
		return Manifest{}, nil, err
	}
	sum := sha256.Sum256(b)
	if err := sm.check(id, manifestFile, sum[:]); err != nil {
		return Manifest{}, nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return Manifest{}, nil, &DamagedError{ID: id, File: manifestFile, Err: err}
	}
	if m.ID != id {
		return Manifest{}, nil, &DamagedError{ID: id, File: manifestFile, Err: fmt.Errorf("names version %q", m.ID)}
	}
	return m, sm, nil
}

// Load implements Store. It refuses a damaged version with a *DamagedError
// naming the file; a version written before versions carried checksums
// loads unchecked, refused only when its layers do not decode.
func (s *Dir) Load(ctx context.Context, id string) (*geo.Dataset, Manifest, error) {
	m, sm, err := s.manifest(id)
	if err != nil {
		return nil, Manifest{}, err
	}
	d, err := s.loadLayers(id, sm)
	if err != nil {
		return nil, Manifest{}, err
	}
	return d, m, nil
}

// loadLayers decodes the layers of version id and returns them only when
// they match their checksums: a flat file's own CRC-32C sums, or a gob
// file's SHA-256 in SHA256SUMS, hashed on the way.
func (s *Dir) loadLayers(id string, sm sums) (*geo.Dataset, error) {
	f, err := os.Open(filepath.Join(s.versionDir(id), layersFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &DamagedError{ID: id, File: layersFile, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", id, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", id, err)
	}
	if flat, err := isFlat(f); err != nil {
		return nil, fmt.Errorf("load %s: %w", id, err)
	} else if flat {
		// checked by its own chunk sums as it is read (flat.go)
		d, err := decodeDataset(f, fi.Size())
		if err != nil {
			return nil, &DamagedError{ID: id, File: layersFile, Err: err}
		}
		return d, nil
	}
	h := sha256.New()
	d, decodeErr := decodeDataset(io.TeeReader(f, h), fi.Size())
	if _, err := io.Copy(h, f); err != nil { // what the decoder left unread
		return nil, fmt.Errorf("load %s: %w", id, err)
	}
	if err := sm.check(id, layersFile, h.Sum(nil)); err != nil {
		return nil, err
	}
	if errors.Is(decodeErr, errFormat) {
		return nil, fmt.Errorf("load %s: %w", id, decodeErr)
	}
	if decodeErr != nil {
		return nil, &DamagedError{ID: id, File: layersFile, Err: decodeErr}
	}
	return d, nil
}

// List implements Store. A version removed while it lists is left out. When
// some manifests are damaged, List returns the others together with an
// error matching ErrDamaged (one *DamagedError per damaged version).
func (s *Dir) List(ctx context.Context) ([]Manifest, error) {
	ids, err := s.ids()
	if err != nil {
		return nil, err
	}
	out := make([]Manifest, 0, len(ids))
	var damaged []error
	for _, id := range ids {
		m, err := s.Manifest(ctx, id)
		switch {
		case errors.Is(err, ErrNotFound):
			continue
		case errors.Is(err, ErrDamaged):
			damaged = append(damaged, err)
			continue
		case err != nil:
			return nil, err
		}
		out = append(out, m)
	}
	return out, errors.Join(damaged...)
}

// Verify checks every file of version id against its checksums without
// decoding it: nil when intact, a *DamagedError naming the file when not,
// ErrUnchecked for a version written before versions carried checksums.
func (s *Dir) Verify(ctx context.Context, id string) error {
	_, sm, err := s.manifest(id)
	if err != nil {
		return err
	}
	if sm == nil {
		return fmt.Errorf("version %s: %w", id, ErrUnchecked)
	}
	h := sha256.New()
	if err := hashFile(h, filepath.Join(s.versionDir(id), layersFile)); err != nil {
		return &DamagedError{ID: id, File: layersFile, Err: err}
	}
	return sm.check(id, layersFile, h.Sum(nil))
}
