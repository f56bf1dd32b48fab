package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of /proc/PID/stat's CPU times (USER_HZ, 100 on
// every Linux gridmap runs on).
const clockTick = 10 * time.Millisecond

// processCPU returns the user and system CPU time the process pid has
// used so far (Linux: /proc/PID/stat); an error elsewhere.
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("server CPU: %w", err)
	}
	// the command name (field 2) may hold spaces: count from its ')'
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("server CPU: /proc/%d/stat: no command name", pid)
	}
	f := strings.Fields(s[i+1:])
	// fields 14 (utime) and 15 (stime) of the line, 12 and 13 after ')'
	if len(f) < 13 {
		return 0, fmt.Errorf("server CPU: /proc/%d/stat: %d fields", pid, len(f))
	}
	var total time.Duration
	for _, v := range f[11:13] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("server CPU: /proc/%d/stat: %w", pid, err)
		}
		total += time.Duration(n) * clockTick
	}
	return total, nil
}
