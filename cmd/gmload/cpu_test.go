package main

import (
	"os"
	"testing"
	"time"
)

func TestParseStatCPU(t *testing.T) {
	for _, tc := range []struct {
		name string
		line string
		want time.Duration
		ok   bool
	}{
		{"plain", "4242 (gridmap) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 37 0 0 20 0 9 0 100 0 0", 287 * clockTick, true},
		{"name with spaces and parens", "7 (a) b (c) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 5", 7 * clockTick, true},
		{"truncated", "7 (x) R 1 7 7 0 -1 0 0 0 0 0 3", 0, false},
		{"no name", "garbage", 0, false},
		{"not a number", "7 (x) R 1 7 7 0 -1 0 0 0 0 0 a 4 0", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseStatCPU([]byte(tc.line))
			if got != tc.want || ok != tc.ok {
				t.Errorf("parseStatCPU = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestProcessCPUOfSelf(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	// burn CPU until the kernel has counted at least one tick of it (a
	// bound on the work, not on the time)
	for range 10000 {
		if d, ok := processCPU(os.Getpid()); ok && d > 0 {
			return
		}
		x := 0
		for i := 0; i < 1e7; i++ {
			x += i
		}
		_ = x
	}
	t.Fatal("processCPU of this process stayed 0 or unreadable")
}
