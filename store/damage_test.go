package store_test

import (
	"context"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gridmap/gridmap/store"
)

// TestBitFlipsRefused flips single bits (seeded, the seed logged) in every
// file of a published version: each flip is refused by Load and Verify with
// a *DamagedError naming the version and the damaged file, never a panic and
// never a dataset.
func TestBitFlipsRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := store.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Publish(ctx, sample(t, "intact"), store.Meta{Who: "test", Note: "flips"}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.Verify(ctx, "v1"); err != nil {
		t.Fatalf("intact version: Verify = %v", err)
	}
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	for _, tc := range []struct {
		file  string
		flips int
	}{
		{"layers.bin", 60},
		{"manifest.json", 60},
		{"SHA256SUMS", 30},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, "versions", "v1", tc.file)
			for i := 0; i < tc.flips; i++ {
				withFlippedBit(t, path, rng, func(at int64, bit uint) {
					d, _, err := s.Load(ctx, "v1")
					checkDamaged(t, err, tc.file, "Load", at, bit)
					if d != nil {
						t.Fatalf("byte %d bit %d: Load returned a dataset", at, bit)
					}
					checkDamaged(t, s.Verify(ctx, "v1"), tc.file, "Verify", at, bit)
				})
			}
			if _, _, err := s.Load(ctx, "v1"); err != nil {
				t.Fatalf("restored version: %v", err)
			}
		})
	}
}

// withFlippedBit flips one random bit of the file at path, calls check and
// restores the file.
func withFlippedBit(t *testing.T, path string, rng *rand.Rand, check func(at int64, bit uint)) {
	t.Helper()
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b := append([]byte(nil), orig...)
	at, bit := rng.Int63n(int64(len(b))), uint(rng.Intn(8))
	b[at] ^= 1 << bit
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.WriteFile(path, orig, 0o644)
	check(at, bit)
}

// checkDamaged fails unless err is a *DamagedError of v1 naming file.
func checkDamaged(t *testing.T, err error, file, op string, at int64, bit uint) {
	t.Helper()
	var de *store.DamagedError
	if !errors.Is(err, store.ErrDamaged) || !errors.As(err, &de) {
		t.Fatalf("%s: byte %d bit %d: %s = %v, want ErrDamaged", file, at, bit, op, err)
	}
	if de.ID != "v1" || de.File != file {
		t.Fatalf("%s: byte %d bit %d: %s names version %s file %s", file, at, bit, op, de.ID, de.File)
	}
}

// TestUncheckedVersion: a version written before checksums (no SHA256SUMS)
// loads, Verify says it is unchecked, and damage to its layers never panics
// the decoder.
func TestUncheckedVersion(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := store.OpenDir(dir)
	if _, err := s.Publish(ctx, sample(t, "old"), store.Meta{}, true); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "versions", "v1", "SHA256SUMS")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Load(ctx, "v1"); err != nil {
		t.Fatalf("unchecked version does not load: %v", err)
	}
	if err := s.Verify(ctx, "v1"); !errors.Is(err, store.ErrUnchecked) {
		t.Fatalf("Verify = %v, want ErrUnchecked", err)
	}
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	refused := 0
	for i := 0; i < 100; i++ {
		withFlippedBit(t, filepath.Join(dir, "versions", "v1", "layers.bin"), rng, func(int64, uint) {
			if _, _, err := s.Load(ctx, "v1"); errors.Is(err, store.ErrDamaged) {
				refused++
			}
		})
	}
	t.Logf("%d of 100 flips refused without checksums", refused)
}

// TestListDamaged: List returns the intact versions with an error naming
// the damaged one.
func TestListDamaged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := store.OpenDir(dir)
	for _, name := range []string{"one", "two", "three"} {
		if _, err := s.Publish(ctx, sample(t, name), store.Meta{}, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "versions", "v2", "manifest.json"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	list, err := s.List(ctx)
	var de *store.DamagedError
	if !errors.As(err, &de) || de.ID != "v2" || de.File != "manifest.json" {
		t.Fatalf("List error %v, want v2 manifest.json damaged", err)
	}
	if len(list) != 2 || list[0].ID != "v1" || list[1].ID != "v3" {
		t.Fatalf("List = %+v, want v1 and v3", list)
	}
	if err := s.Activate(ctx, "v2"); !errors.Is(err, store.ErrDamaged) {
		t.Fatalf("Activate damaged = %v, want ErrDamaged", err)
	}
}
