package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/store/storetest"
)

// TestCopy copies a directory store into another: the same versions,
// manifests, layers, published files and active version; a second copy
// checks and skips; a target holding another version under an id refuses.
func TestCopy(t *testing.T) {
	ctx := context.Background()
	from, to := openDir(t), openDir(t)
	for i := 1; i <= 3; i++ {
		if _, err := from.Publish(ctx, storetest.Dataset(t, fmt.Sprint(i)), store.Meta{Note: fmt.Sprint(i)}, i == 2); err != nil {
			t.Fatal(err)
		}
	}
	index := bytes.Repeat([]byte("index "), 1000)
	if err := from.WriteFile("v2", "index.bin", func(w io.Writer) error { _, err := w.Write(index); return err }); err != nil {
		t.Fatal(err)
	}
	var lines []string
	o := store.CopyOptions{Files: []string{"index.bin", "tiles.pmtiles"}, Log: func(f string, a ...any) { lines = append(lines, fmt.Sprintf(f, a...)) }}
	for round := 0; round < 2; round++ {
		lines = nil
		if err := store.Copy(ctx, from, to, o); err != nil {
			t.Fatalf("copy %d: %v", round, err)
		}
		t.Logf("copy %d: %q", round, lines)
	}
	if len(lines) != 4 || !bytes.Contains([]byte(lines[0]), []byte("already there, checked")) {
		t.Errorf("second copy said %q, want every version already there", lines)
	}
	storetest.SameStores(t, from, to)
	p, err := to.FilePath("v2", "index.bin")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(p); err != nil || !bytes.Equal(b, index) {
		t.Errorf("copied index.bin: %d bytes, %v", len(b), err)
	}
	other := openDir(t)
	if _, err := other.Publish(ctx, storetest.Dataset(t, "another"), store.Meta{}, true); err != nil {
		t.Fatal(err)
	}
	if err := store.Copy(ctx, from, other, o); !errors.Is(err, store.ErrExists) {
		t.Errorf("copy onto another v1 = %v, want ErrExists", err)
	}
}

func openDir(t *testing.T) *store.Dir {
	t.Helper()
	s, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}
