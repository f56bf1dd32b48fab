package version

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

// TestHeadroomWaitsForBuild: the serving tuner does not undo a build's
// lowered target; it applies once no build runs.
func TestHeadroomWaitsForBuild(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	restore := lowGCDuringBuild()
	setHeadroom(1 << 20)
	if got := gogc(); got != buildGCPercent {
		t.Fatalf("the tuner set GOGC %d during a build, want %d kept", got, buildGCPercent)
	}
	restore()
	setHeadroom(1 << 20)
	if got := gogc(); got != 1000 {
		t.Fatalf("after the build the tuner set GOGC %d, want 1000", got)
	}
}

func TestGCPercent(t *testing.T) {
	for _, tc := range []struct {
		live uint64
		want int
	}{
		{0, 100},
		{1 << 20, 1000},  // 1 MiB live: capped
		{64 << 20, 400},  // 256 MiB of growth is 400 %
		{256 << 20, 100}, // as Go's default
		{5 << 30, 100},   // a province: never below the default
		{100 << 20, 256},
	} {
		if got := gcPercent(tc.live); got != tc.want {
			t.Errorf("gcPercent(%d) = %d, want %d", tc.live, got, tc.want)
		}
	}
}
