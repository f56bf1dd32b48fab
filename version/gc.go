package version

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// The collector's target (GOGC) and the memory limit are process-wide, so
// their policy is written once, here: a lowered target while snapshots are
// built, a serving headroom the rest of the time, and a soft memory limit
// for a process that only imports. The headroom tuner leaves the target alone
// while a build runs, so a build is never undone halfway.

// importMemLimit is the soft memory limit of a process that imports and
// serves nothing (gridmap import).
const importMemLimit = 3000 << 20

// LimitImportMemory sets the soft memory limit of a process that only
// imports, unless GOMEMLIMIT is set in the environment: the collector works
// harder instead of letting the heap double. The 100-county synthetic
// province then peaks at about 3.1 GB resident instead of 4.6 GB, in about
// the same time.
func LimitImportMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(importMemLimit)
	}
}

// buildGCPercent is the collector's target while a version's index and tile
// source are built: the build makes gigabytes of short-lived scratch on a
// province, and with Go's default of 100 the heap doubles before it is
// collected (16.4 GB peak resident for the 100-Jiangyin province, 11.6 GB
// with 25; the build took no longer).
const buildGCPercent = 25

// gcHeadroom is the least heap growth allowed between two collections of a
// serving process. Its live heap is mostly the published version, which does
// not change between imports, while each request allocates a few kB: with
// the default GOGC=100 a small data set would be marked over and over for
// nothing, and a province's is large enough that 100 % headroom is plenty.
const gcHeadroom = 256 << 20

// gcState is the process's collector policy; gc is its one value (the
// collector's target is itself process-wide).
type gcState struct {
	mu     sync.Mutex
	builds int // builds running
	saved  int // the target before the first of them
}

var gc gcState

// lowGCDuringBuild lowers the collector's target until the returned
// function is called; nested and concurrent builds restore it once, after
// the last. A target already lower (or GC off) is left alone.
func lowGCDuringBuild() (restore func()) {
	gc.mu.Lock()
	defer gc.mu.Unlock()
	if gc.builds == 0 {
		gc.saved = debug.SetGCPercent(buildGCPercent)
		if gc.saved >= 0 && gc.saved < buildGCPercent {
			debug.SetGCPercent(gc.saved)
		}
	}
	gc.builds++
	return func() {
		gc.mu.Lock()
		defer gc.mu.Unlock()
		gc.builds--
		if gc.builds == 0 {
			debug.SetGCPercent(gc.saved)
		}
	}
}

// setHeadroom sets the serving target for a live heap of live bytes, unless a
// build is running (the build's restore puts back what was set before it).
func setHeadroom(live uint64) {
	gc.mu.Lock()
	defer gc.mu.Unlock()
	if gc.builds == 0 {
		debug.SetGCPercent(gcPercent(live))
	}
}

// TuneGC keeps a serving process's collector headroom at least gcHeadroom:
// GOGC becomes max(100, 100·gcHeadroom/live heap), re-read every interval
// until ctx ends, except while a snapshot is being built. It does nothing
// when GOGC is set in the environment.
func TuneGC(ctx context.Context, interval time.Duration) {
	if os.Getenv("GOGC") != "" {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	set := func() {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return
		}
		setHeadroom(sample[0].Value.Uint64())
	}
	set()
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				set()
			}
		}
	}()
}

// gcPercent returns the GOGC that gives a live heap of live bytes at least
// gcHeadroom of growth, and never less than Go's default of 100.
func gcPercent(live uint64) int {
	if live == 0 {
		return 100
	}
	p := uint64(gcHeadroom) * 100 / live
	return int(min(max(p, 100), 1000))
}
