package main

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/version"
)

// versionOf is the active version of the data directory dir: its store,
// id, and the path and key of its published index file.
type versionOf struct {
	st        *store.Dir
	id        string
	indexPath string
	key       string
}

// openVersion returns the active version of dir.
func openVersion(ctx context.Context, dir string) (versionOf, error) {
	st, err := store.OpenDir(dir)
	if err != nil {
		return versionOf{}, err
	}
	id, err := st.Active(ctx)
	if err != nil {
		return versionOf{}, err
	}
	m, err := st.Manifest(ctx, id)
	if err != nil {
		return versionOf{}, err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return versionOf{}, err
	}
	path, err := st.FilePath(id, version.IndexFile)
	return versionOf{st: st, id: id, indexPath: path, key: version.IndexKey(version.Manifest{ID: id, JSON: b})}, err
}

// compareLayers times the store's load of the same version in two data
// directories, one whose layers file is flat (format 2) and one whose is
// gob (format 1), alternated round by round; then maps each one's
// published index over its dataset (and, with build, builds one over the
// gob dataset, as a start without the file does) and compares lookups on
// them, alternated.
func compareLayers(flatDir, gobDir string, rounds, per int, build bool) error {
	ctx := context.Background()
	flat, err := openVersion(ctx, flatDir)
	if err != nil {
		return err
	}
	gob, err := openVersion(ctx, gobDir)
	if err != nil {
		return err
	}
	names := []string{"gob", "flat"}
	vs := []versionOf{gob, flat}
	ds := make([]*geo.Dataset, 2)
	times := make([][]float64, 2)
	for r := range rounds {
		for k := range vs {
			i := (k + r) % 2
			ds[i] = nil
			runtime.GC()
			debug.FreeOSMemory()
			start := time.Now()
			var err error
			if ds[i], _, err = vs[i].st.Load(ctx, vs[i].id); err != nil {
				return fmt.Errorf("%s load: %w", names[i], err)
			}
			times[i] = append(times[i], time.Since(start).Seconds())
		}
	}
	for i, name := range names {
		fmt.Printf("store load %-4s median %7.3f s (min %.3f, max %.3f) over %d rounds\n", name, median(times[i]), minOf(times[i]), maxOf(times[i]), rounds)
	}
	fmt.Printf("store load: flat takes %.3f of gob's time; RSS now %.0f MB\n", median(times[1])/median(times[0]), rssMB())
	var xs []*index.Index
	for i, v := range vs {
		var x *index.Index
		step("index mapped over "+names[i], func() (err error) {
			x, err = version.LoadIndexFile(v.indexPath, ds[i], v.key, version.IndexMap)
			return err
		})
		xs = append(xs, x)
	}
	if build {
		var x *index.Index
		step("index.NewIndex over gob", func() (err error) { x, err = index.NewIndex(ds[0]); return err })
		xs = append([]*index.Index{x}, xs...)
		names = []string{"built", "mapped over gob", "mapped over flat"}
	} else {
		names = []string{"mapped over gob", "mapped over flat"}
	}
	compare(ds[0], xs, names, rounds, per)
	runtime.KeepAlive(ds)
	return nil
}

func minOf(v []float64) float64 { return sortedOf(v)[0] }
func maxOf(v []float64) float64 { s := sortedOf(v); return s[len(s)-1] }
