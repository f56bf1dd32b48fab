package pgstore

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestSweepCache removes the temporary files a killed transfer left and
// keeps those of a live one and the copies themselves.
func TestSweepCache(t *testing.T) {
	cache := t.TempDir()
	dir := filepath.Join(cache, cacheDir, "v3")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	files := map[string]time.Duration{ // name → age
		tmpPrefix + "index.bin-1": time.Hour,
		tmpPrefix + "index.bin-2": time.Minute,
		"index.bin":               time.Hour,
		".index.bin.sum":          time.Hour,
	}
	for name, age := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	sweepCache(cache, now)
	for name, age := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gone := os.IsNotExist(err); gone != (name == tmpPrefix+"index.bin-1") {
			t.Errorf("%s (%s old): removed %v", name, age, gone)
		}
	}
}
