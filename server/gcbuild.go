package server

import (
	"runtime/debug"
	"sync"
)

// buildGCPercent is the collector's target while a version's index and tile
// source are built: the build makes gigabytes of short-lived scratch on a
// province, and with Go's default of 100 the heap doubles before it is
// collected (16.4 GB peak resident for the 100-Jiangyin province, 11.6 GB
// with 25; the build took no longer).
const buildGCPercent = 25

var (
	buildGCMu    sync.Mutex
	buildGCUsers int
	buildGCSaved int
)

// lowGCDuringBuild lowers the collector's target until the returned
// function is called; nested and concurrent builds restore it once, after
// the last. A target already lower (or GC off) is left alone.
func lowGCDuringBuild() (restore func()) {
	buildGCMu.Lock()
	defer buildGCMu.Unlock()
	if buildGCUsers == 0 {
		buildGCSaved = debug.SetGCPercent(buildGCPercent)
		if buildGCSaved >= 0 && buildGCSaved < buildGCPercent {
			debug.SetGCPercent(buildGCSaved)
		}
	}
	buildGCUsers++
	return func() {
		buildGCMu.Lock()
		defer buildGCMu.Unlock()
		buildGCUsers--
		if buildGCUsers == 0 {
			debug.SetGCPercent(buildGCSaved)
		}
	}
}
