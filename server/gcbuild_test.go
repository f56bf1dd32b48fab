package server

import (
	"runtime/debug"
	"testing"
)

// gogc reads the collector's target (SetGCPercent is the only reader; the
// value is put back at once).
func gogc() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestLowGCDuringBuild(t *testing.T) {
	old := debug.SetGCPercent(300)
	defer debug.SetGCPercent(old)
	r1 := lowGCDuringBuild()
	if got := gogc(); got != buildGCPercent {
		t.Fatalf("during a build GOGC = %d, want %d", got, buildGCPercent)
	}
	r2 := lowGCDuringBuild() // a second, overlapping build
	r1()
	if got := gogc(); got != buildGCPercent {
		t.Fatalf("after the first of two builds GOGC = %d, want %d", got, buildGCPercent)
	}
	r2()
	if got := gogc(); got != 300 {
		t.Fatalf("after both builds GOGC = %d, want 300 restored", got)
	}
	// a lower target is kept
	debug.SetGCPercent(10)
	r3 := lowGCDuringBuild()
	if got := gogc(); got != 10 {
		t.Fatalf("GOGC 10 became %d during a build", got)
	}
	r3()
	if got := gogc(); got != 10 {
		t.Fatalf("after the build GOGC = %d, want 10", got)
	}
}
