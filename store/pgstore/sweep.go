package pgstore

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

// PruneCache implements store.CachePruner: it removes the local copies of
// the published files of every version but keep (the version served, the
// one built ahead) whose directory went unmodified for quiet (a download
// just begun there is left alone), so that a replica's disk holds those,
// not a copy of every version it ever served (5.5 GB each for a
// 100-Jiangyin province).
// The database's files are untouched; a version needed again is
// downloaded again. A copy still mapped by a snapshot in use stays
// readable until unmapped.
func (s *Store) PruneCache(keep []string, quiet time.Duration) (removed []string, err error) {
	if s.cache == "" {
		return nil, nil
	}
	dirs, err := filepath.Glob(filepath.Join(s.cache, cacheDir, "v*"))
	if err != nil {
		return nil, err
	}
	now := s.now()
	for _, d := range dirs {
		id := filepath.Base(d)
		fi, err := os.Stat(d)
		if err != nil || !fi.IsDir() || slices.Contains(keep, id) || now.Sub(fi.ModTime()) < quiet {
			continue
		}
		if err := os.RemoveAll(d); err != nil {
			return removed, fmt.Errorf("prune the cache of %s: %w", id, err)
		}
		removed = append(removed, id)
	}
	return removed, nil
}
