//go:build unix

package sqlitestore_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) this process used so far: on a
// shared machine the benchmarks report work per CPU second beside wall
// figures.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
