package pgstore_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gridmap/gridmap/internal/pgtest"
	"github.com/gridmap/gridmap/store/pgstore"
)

// TestPruneCache: the local copies of the versions not kept, unmodified
// for the quiet time, are removed; the kept ones and one just written
// stay; a quiet time of 0 removes every copy not kept.
func TestPruneCache(t *testing.T) {
	cache := t.TempDir()
	s, err := pgstore.Open(context.Background(), pgtest.NewDB(t), pgstore.Options{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	old := time.Now().Add(-time.Hour)
	for _, id := range []string{"v1", "v2", "v3", "v4"} {
		dir := filepath.Join(cache, "pgstore", id)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "index.bin"), []byte(id), 0o644); err != nil {
			t.Fatal(err)
		}
		if id != "v4" {
			if err := os.Chtimes(dir, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	cases := []struct {
		keep        []string
		quiet       time.Duration
		removed, on []string
	}{
		{[]string{"v2", "v3"}, time.Minute, []string{"v1"}, []string{"v2", "v3", "v4"}},
		{[]string{"v3"}, time.Minute, []string{"v2"}, []string{"v3", "v4"}},
		{nil, 0, []string{"v3", "v4"}, nil},
	}
	for i, c := range cases {
		removed, err := s.PruneCache(c.keep, c.quiet)
		if err != nil || !slices.Equal(removed, c.removed) {
			t.Errorf("case %d: removed %v, %v; want %v", i, removed, err, c.removed)
		}
		var on []string
		dirs, _ := filepath.Glob(filepath.Join(cache, "pgstore", "v*"))
		for _, d := range dirs {
			on = append(on, filepath.Base(d))
		}
		if !slices.Equal(on, c.on) {
			t.Errorf("case %d: copies of %v left, want %v", i, on, c.on)
		}
	}
}
