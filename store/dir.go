package store

import (
	"context"
	"encoding/json"
	"fmt"
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
//
// A version is written under a temporary name, synced and renamed into
// place; ACTIVE is replaced by rename. A kill at any moment leaves either the
// old or the new state whole, and a half-written version is never visible.
type Dir struct {
	path string
	now  func() time.Time
}

var idPattern = regexp.MustCompile(`^v[1-9][0-9]{0,9}$`)

// OpenDir opens (creating when needed) the store at path.
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

// sweep removes temporary directories left by a killed publish.
func (s *Dir) sweep() {
	ents, _ := os.ReadDir(filepath.Join(s.path, "versions"))
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			os.RemoveAll(filepath.Join(s.path, "versions", e.Name()))
		}
	}
}

func (s *Dir) versionDir(id string) string { return filepath.Join(s.path, "versions", id) }

func checkID(id string) error {
	if !idPattern.MatchString(id) {
		return fmt.Errorf("%w: %q (want v followed by a number)", ErrBadID, id)
	}
	return nil
}

// Publish implements Store.
func (s *Dir) Publish(ctx context.Context, d *geo.Dataset, meta Meta, activate bool) (Manifest, error) {
	tmp, err := os.MkdirTemp(filepath.Join(s.path, "versions"), ".tmp-")
	if err != nil {
		return Manifest{}, fmt.Errorf("publish: %w", err)
	}
	defer os.RemoveAll(tmp) // no-op after a successful rename
	m := Manifest{Created: s.now().UTC().Truncate(time.Millisecond), Layers: Summarise(d), Meta: meta}
	if err := writeFileSync(filepath.Join(tmp, "layers.bin"), func(f *os.File) error { return encodeDataset(f, d) }); err != nil {
		return Manifest{}, fmt.Errorf("publish: write layers: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Manifest{}, err
	}
	// claim the next id by renaming the finished directory into place;
	// rename fails when another process took the id first
	for attempt := 0; ; attempt++ {
		next, err := s.nextID()
		if err != nil {
			return Manifest{}, err
		}
		m.ID = next
		if err := writeJSONSync(filepath.Join(tmp, "manifest.json"), m); err != nil {
			return Manifest{}, fmt.Errorf("publish: write manifest: %w", err)
		}
		if err := syncDir(tmp); err != nil {
			return Manifest{}, err
		}
		err = os.Rename(tmp, s.versionDir(next))
		if err == nil {
			break
		}
		if attempt > 100 || !os.IsExist(err) && !isNotEmpty(err) {
			return Manifest{}, fmt.Errorf("publish: %w", err)
		}
	}
	if err := syncDir(filepath.Join(s.path, "versions")); err != nil {
		return Manifest{}, err
	}
	if activate {
		if err := s.Activate(ctx, m.ID); err != nil {
			return Manifest{}, err
		}
	}
	return m, nil
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

// Activate implements Store.
func (s *Dir) Activate(ctx context.Context, id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	if _, err := s.Manifest(ctx, id); err != nil {
		return err
	}
	tmp := filepath.Join(s.path, fmt.Sprintf(".ACTIVE.%d.tmp", os.Getpid()))
	if err := writeFileSync(tmp, func(f *os.File) error { _, err := f.WriteString(id + "\n"); return err }); err != nil {
		return fmt.Errorf("activate %s: %w", id, err)
	}
	if err := os.Rename(tmp, filepath.Join(s.path, "ACTIVE")); err != nil {
		os.Remove(tmp)
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

// Manifest implements Store.
func (s *Dir) Manifest(ctx context.Context, id string) (Manifest, error) {
	if err := checkID(id); err != nil {
		return Manifest{}, err
	}
	b, err := os.ReadFile(filepath.Join(s.versionDir(id), "manifest.json"))
	if os.IsNotExist(err) {
		return Manifest{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return Manifest{}, fmt.Errorf("read manifest %s: %w", id, err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return Manifest{}, fmt.Errorf("manifest %s: %w", id, err)
	}
	return m, nil
}

// Load implements Store.
func (s *Dir) Load(ctx context.Context, id string) (*geo.Dataset, Manifest, error) {
	m, err := s.Manifest(ctx, id)
	if err != nil {
		return nil, Manifest{}, err
	}
	f, err := os.Open(filepath.Join(s.versionDir(id), "layers.bin"))
	if err != nil {
		return nil, Manifest{}, fmt.Errorf("load %s: %w", id, err)
	}
	defer f.Close()
	d, err := decodeDataset(f)
	if err != nil {
		return nil, Manifest{}, fmt.Errorf("load %s: %w", id, err)
	}
	return d, m, nil
}

// List implements Store.
func (s *Dir) List(ctx context.Context) ([]Manifest, error) {
	ids, err := s.ids()
	if err != nil {
		return nil, err
	}
	out := make([]Manifest, 0, len(ids))
	for _, id := range ids {
		m, err := s.Manifest(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func writeJSONSync(path string, v any) error {
	return writeFileSync(path, func(f *os.File) error {
		enc := json.NewEncoder(f)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

// writeFileSync creates path, lets write fill it, and syncs it to disk.
func writeFileSync(path string, write func(*os.File) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(path string) error {
	d, err := os.Open(path)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}
