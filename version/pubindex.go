package version

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/bigmem"
)

// Files keeps the files a version publishes beside its layers, made once
// by the first process that builds the version and read by every other:
// the point index (IndexFile; geo/index, Index.Encode) and the rendered
// tiles (TilesFile). The embedded store keeps them in the version's
// directory (store.Dir); the PostgreSQL store keeps them in the database
// and a local copy for mapping (store/pgstore). A snapshot's part is read
// from its file when that is there and sound, and built and written to it
// when not.
type Files interface {
	// FilePath returns the local path of the published file name of
	// version id, which may not exist (yet).
	FilePath(id, name string) (string, error)
	// WriteFile writes the published file name of version id with write,
	// atomically: a reader finds the old file, none, or the whole new
	// one.
	WriteFile(id, name string, write func(io.Writer) error) error
}

// The names of a version's published files (Files).
const (
	// IndexFile is the published point index.
	IndexFile = "index.bin"
	// TilesFile is the archive of the version's rendered tiles.
	TilesFile = "tiles.pmtiles"
)

// IndexLoad says how a published index file is brought into memory.
type IndexLoad int

const (
	// IndexMap maps the file (bigmem.MapFile, its pages read in at once):
	// no copy, and processes on one machine share its pages, which the
	// kernel maps as huge pages where the page cache holds the file in
	// huge folios: as readahead reads it in (the stores drop a published
	// file from the cache once written, bigmem.Uncache), not as a write
	// left it. The log says how much is on huge pages. The 100-copy
	// province's index answered at 0.87–0.89 of a built one with 70–80 %
	// on huge pages, at 1.058 with 99 % (docs/performance.md).
	IndexMap IndexLoad = iota
	// IndexCopy reads the file into memory of the process's own, on huge
	// pages (bigmem.ReadFile), as a built index lies. Faulting in huge
	// pages can stall on compaction: 5.7 s for Jiangyin's 56 MB on a busy
	// machine where mapping took 0.03 s (docs/performance.md).
	IndexCopy
)

// indexKey is what a published index file must name to serve version m:
// its id and the hash of its manifest (tileTag), so that a file left by
// another version of the same id (another data directory, or a store
// rebuilt) is refused.
func indexKey(m Manifest) string { return tileTag(m) }

// pointIndex returns the point index of version m with dataset d: read
// from its published index file when o.Index has a sound one, else built,
// and then written there for the next start (built is true). Why a file
// was not used is logged, one line; a file that cannot be written is
// logged and the built index served all the same.
func pointIndex(m Manifest, d *geo.Dataset, o BuildOptions) (x *index.Index, built bool, err error) {
	if o.Index == nil {
		x, err = index.NewIndex(d)
		return x, true, err
	}
	start := time.Now()
	path, err := o.Index.FilePath(m.ID, IndexFile)
	if err == nil {
		var how string
		if x, how, err = loadIndexFile(path, d, indexKey(m), o.IndexLoad); err == nil {
			o.logf("version %s: point index read from %s in %.3f s (%s)", m.ID, path, time.Since(start).Seconds(), how)
			return x, false, nil
		}
	}
	reason := err.Error()
	if errors.Is(err, fs.ErrNotExist) {
		reason = "no published index file yet"
	}
	o.logf("version %s: building the point index: %s", m.ID, reason)
	x, err = index.NewIndex(d)
	if err != nil {
		return nil, true, err
	}
	builtAt := time.Now()
	werr := o.Index.WriteFile(m.ID, IndexFile, func(w io.Writer) error {
		_, err := x.Encode(w, indexKey(m))
		return err
	})
	if werr != nil {
		o.logf("version %s: point index built in %.1f s, not published: %v", m.ID, builtAt.Sub(start).Seconds(), werr)
	} else {
		o.logf("version %s: point index built in %.1f s and published in %.1f s", m.ID, builtAt.Sub(start).Seconds(), time.Since(builtAt).Seconds())
	}
	return x, true, nil
}

// LoadIndexFile reads the published index file at path the way load says
// and returns the index of d it holds for key (see index.LoadIndex); the
// memory is released once the index is unreachable.
func LoadIndexFile(path string, d *geo.Dataset, key string, load IndexLoad) (*index.Index, error) {
	x, _, err := loadIndexFile(path, d, key, load)
	return x, err
}

// loadIndexFile is LoadIndexFile, also saying how the file was brought
// into memory: copied, or mapped and how much of it on huge pages.
func loadIndexFile(path string, d *geo.Dataset, key string, load IndexLoad) (*index.Index, string, error) {
	how, read := "copied", bigmem.ReadFile
	if load == IndexMap {
		how, read = "mapped", bigmem.MapFile
	}
	b, release, err := read(path)
	if err != nil {
		return nil, how, err
	}
	if load == IndexMap {
		if huge, err := bigmem.HugeMapped(b); err == nil {
			how = fmt.Sprintf("mapped, %d of %d MB on huge pages", huge>>20, len(b)>>20)
		}
	}
	x, err := index.LoadIndex(d, b, key)
	if err != nil {
		release()
		return nil, how, fmt.Errorf("%s: %w", path, err)
	}
	bigmem.ReleaseWith(x, release)
	return x, how, nil
}

// logf writes to o.Log when it is set.
func (o BuildOptions) logf(format string, args ...any) {
	if o.Log != nil {
		o.Log.Printf(format, args...)
	}
}

// IndexKey returns what the published index file of version m names (its
// id and manifest hash): what LoadIndexFile is given to serve m.
func IndexKey(m Manifest) string { return indexKey(m) }
