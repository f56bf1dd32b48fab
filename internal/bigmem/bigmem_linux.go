//go:build linux

package bigmem

import (
	"runtime"
	"syscall"
	"unsafe"
)

// hugeThreshold is the size from which arrays are mapped with transparent
// huge pages: random lookups over a province's cells, edges and ancestor
// tables otherwise spend much of their time in TLB misses (and, in a virtual
// machine, in two-dimensional page walks).
const hugeThreshold = 1 << 20

// hugePage is the size of a transparent huge page on x86-64 (and on arm64
// with 4 KiB base pages).
const hugePage = 2 << 20

// Alloc returns n zeroed elements of T outside the Go heap, aligned to
// and backed by huge pages where the kernel allows it, and a function that
// releases them; small or failed requests come from the heap (release does
// nothing). T must hold no pointers.
func Alloc[T any](n int) ([]T, func()) {
	var zero T
	size := n * int(unsafe.Sizeof(zero))
	if size < hugeThreshold {
		return make([]T, n), func() {}
	}
	// whole huge pages, and one more so that the slice can start on a huge
	// page boundary
	mapped := (size+hugePage-1)/hugePage*hugePage + hugePage
	mem, err := syscall.Mmap(-1, 0, mapped, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]T, n), func() {}
	}
	off := 0
	if r := int(uintptr(unsafe.Pointer(&mem[0])) % hugePage); r != 0 {
		off = hugePage - r
	}
	const madvHugepage = 14 // MADV_HUGEPAGE
	_ = syscall.Madvise(mem[off:], madvHugepage)
	return unsafe.Slice((*T)(unsafe.Pointer(&mem[off])), n), func() { syscall.Munmap(mem) }
}

// ReleaseWith arranges for release to run once owner is unreachable.
//
// A slice of the memory, once loaded from owner, does not keep owner
// reachable: whoever reads it must keep owner alive until the last read
// (runtime.KeepAlive), or the memory could be unmapped under the read when
// owner was otherwise dropped (an old version's index whose last request
// is ending).
func ReleaseWith[P any](owner *P, release func()) {
	runtime.AddCleanup(owner, func(f func()) { f() }, release)
}
