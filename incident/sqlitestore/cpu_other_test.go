//go:build !unix

package sqlitestore_test

import "time"

// cpuTime is unknown here: the benchmarks report wall figures only.
func cpuTime() time.Duration { return 0 }
