//go:build linux

package geo

import (
	"runtime"
	"syscall"
	"unsafe"
)

// hugeThreshold is the size from which index arrays are mapped with
// transparent huge pages: random lookups over gigabytes of cells and edges
// otherwise spend much of their time in TLB misses.
const hugeThreshold = 64 << 20

// bigAlloc returns n zeroed elements of T outside the Go heap, backed by
// huge pages where the kernel allows it, and a function that releases them;
// small or failed requests come from the heap (release does nothing). T must
// hold no pointers.
func bigAlloc[T any](n int) ([]T, func()) {
	var zero T
	size := n * int(unsafe.Sizeof(zero))
	if size < hugeThreshold {
		return make([]T, n), func() {}
	}
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]T, n), func() {}
	}
	const madvHugepage = 14 // MADV_HUGEPAGE
	_ = syscall.Madvise(mem, madvHugepage)
	return unsafe.Slice((*T)(unsafe.Pointer(&mem[0])), n), func() { syscall.Munmap(mem) }
}

// releaseWith arranges for release to run once owner is unreachable.
func releaseWith[P any](owner *P, release func()) {
	runtime.AddCleanup(owner, func(f func()) { f() }, release)
}
