package main

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// gcHeadroom is the least heap growth allowed between two collections of a
// serving process. Its live heap is mostly the published version, which does
// not change between imports, while each request allocates a few kB: with
// the default GOGC=100 a small data set would be marked over and over for
// nothing, and a province's is large enough that 100 % headroom is plenty.
const gcHeadroom = 256 << 20

// tuneGC keeps the collector's headroom at least gcHeadroom: GOGC becomes
// max(100, 100·gcHeadroom/live heap), re-read every interval until ctx ends.
// It does nothing when GOGC is set in the environment.
func tuneGC(ctx context.Context, interval time.Duration) {
	if os.Getenv("GOGC") != "" {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	set := func() {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return
		}
		debug.SetGCPercent(gcPercent(sample[0].Value.Uint64()))
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
