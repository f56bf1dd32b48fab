//go:build linux

package bigmem

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"unsafe"
)

// HugeMapped returns how many bytes of b the kernel maps with huge pages
// now: the huge-page fields (FilePmdMapped, AnonHugePages,
// ShmemPmdMapped) of the mappings of /proc/self/smaps that b lies in,
// counted within b. A file mapped from a page cache of small folios (one
// written in small pieces, or when memory was fragmented) has few.
func HugeMapped(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	lo := uint64(uintptr(unsafe.Pointer(&b[0])))
	hi := lo + uint64(len(b))
	raw, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0, fmt.Errorf("huge pages of a mapping: %w", err)
	}
	total := 0
	var in bool
	var vlo, vhi uint64
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if start, end, ok := vmaRange(f[0]); ok && len(f) >= 5 {
			vlo, vhi = start, end
			in = start < hi && end > lo
			continue
		}
		if !in || len(f) < 2 || (f[0] != "FilePmdMapped:" && f[0] != "AnonHugePages:" && f[0] != "ShmemPmdMapped:") {
			continue
		}
		kb, err := strconv.Atoi(f[1])
		if err != nil {
			return 0, fmt.Errorf("huge pages of a mapping: %q: %w", line, err)
		}
		// a mapping larger than b (b a part of it) counts at most its overlap
		total += min(kb<<10, int(min(vhi, hi)-max(vlo, lo)))
	}
	return min(total, len(b)), sc.Err()
}

// vmaRange parses the "start-end" of a mapping's line in smaps.
func vmaRange(s string) (start, end uint64, ok bool) {
	a, b, found := strings.Cut(s, "-")
	if !found {
		return 0, 0, false
	}
	start, err1 := strconv.ParseUint(a, 16, 64)
	end, err2 := strconv.ParseUint(b, 16, 64)
	return start, end, err1 == nil && err2 == nil
}
