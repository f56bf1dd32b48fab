package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Secret is a value that never prints: String and GoString mask it, so a
// Config logged with %v or %#v shows no token. Use string(s) for the value.
type Secret string

// String returns "********" when s is set, "" when it is empty.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "********"
}

// GoString masks s as String does.
func (s Secret) GoString() string { return strconv.Quote(s.String()) }

// Bytes is a size in bytes. In the file, env and flags it is an integer, or
// a number with a unit: B, KiB, MiB, GiB, TiB (1024-based) or kB, MB, GB, TB
// (1000-based), as in "64MiB" or "1.5 GiB".
type Bytes int64

// byteUnits are the units ParseBytes takes, longest first so that "MiB" is
// not read as "B".
var byteUnits = []struct {
	name string
	size float64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"B", 1},
}

// ParseBytes reads a size: an integer number of bytes or a number with a
// unit (Bytes).
func ParseBytes(s string) (Bytes, error) {
	t := strings.TrimSpace(s)
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		return Bytes(n), nil
	}
	for _, u := range byteUnits {
		num, ok := strings.CutSuffix(t, u.name)
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f*u.size > math.MaxInt64 {
			break
		}
		return Bytes(f * u.size), nil
	}
	return 0, fmt.Errorf("%q is not a size such as 1048576, \"64MiB\" or \"1GiB\"", s)
}

// String writes b with the largest 1024-based unit that divides it exactly
// ("1GiB", "512MiB"), else as a plain number of bytes.
func (b Bytes) String() string {
	for _, u := range []struct {
		name string
		size int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if b != 0 && int64(b)%u.size == 0 {
			return strconv.FormatInt(int64(b)/u.size, 10) + u.name
		}
	}
	return strconv.FormatInt(int64(b), 10)
}

// parseDuration reads a Go duration string ("30s", "1m30s").
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as \"30s\" or \"2m\"", s)
	}
	return d, nil
}

// formatDuration writes d the way time.ParseDuration reads it, without the
// zero minutes and seconds time.Duration.String adds ("2m", not "2m0s").
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// splitList reads a comma-separated list as env and flags give lists;
// blanks around items are dropped, and an empty string is the empty list.
func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return []string{}
	}
	parts := strings.Split(s, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}
