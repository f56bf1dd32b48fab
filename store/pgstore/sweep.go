package pgstore

import (
	"os"
	"path/filepath"
	"time"
)

// staleTemp is how long a temporary file of the cache (a download or a
// write in progress, CACHE/pgstore/vN/.tmp-*) goes unmodified before Open
// takes it for one left by a killed process and removes it: a live
// transfer writes it continuously.
const staleTemp = 10 * time.Minute

// sweepCache removes the stale temporary files of the cache directory.
func sweepCache(cache string, now time.Time) {
	paths, _ := filepath.Glob(filepath.Join(cache, cacheDir, "v*", tmpPrefix+"*"))
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && now.Sub(fi.ModTime()) > staleTemp {
			os.Remove(p)
		}
	}
}
