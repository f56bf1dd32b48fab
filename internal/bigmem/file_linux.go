//go:build linux

package bigmem

import (
	"fmt"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// MapFile maps the file at path read-only and shared, with its pages read
// in (and mapped) ahead, and returns its bytes and a function that unmaps
// them. Processes that map one file share its pages in the page cache. The
// mapping starts on a huge-page boundary, but whether the kernel backs it
// with huge pages depends on the kernel and the file system (most back it
// with 4 KiB pages). An empty file maps to nil.
func MapFile(path string) ([]byte, func(), error) {
	f, size, err := openSized(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if size == 0 {
		return nil, func() {}, nil
	}
	// the file is mapped at a huge-page boundary of a reservation, so that
	// the page cache's large folios (ext4 on recent kernels) can be mapped
	// whole: 12 of Jiangyin's 56 MB were, against none unaligned
	res, err := syscall.Mmap(-1, 0, size+hugePage, syscall.PROT_NONE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, nil, fmt.Errorf("map %s: %w", path, err)
	}
	off := 0
	if r := int(uintptr(unsafe.Pointer(&res[0])) % hugePage); r != 0 {
		off = hugePage - r
	}
	mem := res[off : off+size : off+size]
	_, _, errno := syscall.Syscall6(syscall.SYS_MMAP, uintptr(unsafe.Pointer(&mem[0])), uintptr(size), syscall.PROT_READ,
		syscall.MAP_SHARED|syscall.MAP_FIXED|syscall.MAP_POPULATE, f.Fd(), 0)
	if errno != 0 {
		syscall.Munmap(res)
		return nil, nil, fmt.Errorf("map %s: %w", path, errno)
	}
	const madvHugepage = 14 // MADV_HUGEPAGE: taken where the kernel collapses file pages
	_ = syscall.Madvise(mem, madvHugepage)
	return mem, func() { syscall.Munmap(res) }, nil
}

// ReadFile reads the file at path into memory from Alloc (outside the Go
// heap, on huge pages where the kernel allows it) and returns its bytes and
// a function that releases them: the copy costs a read of the file, and
// lookups over it then run as over memory the process built itself.
func ReadFile(path string) ([]byte, func(), error) {
	f, size, err := openSized(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	b, free := Alloc[byte](size)
	if size < hugeThreshold {
		b = alignedBytes(size) // the heap's tiny allocations are not 8-byte aligned
	}
	for off := 0; off < len(b); {
		n, err := f.ReadAt(b[off:min(len(b), off+64<<20)], int64(off))
		off += n
		if err != nil && off < len(b) {
			free()
			return nil, nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
	return b, free, nil
}

// openSized opens the file at path and returns it with its size, which
// must fit in memory.
func openSized(path string) (*os.File, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err == nil && int64(int(fi.Size())) != fi.Size() {
		err = fmt.Errorf("%s: %d bytes do not fit in memory", path, fi.Size())
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, int(fi.Size()), nil
}

// alignedBytes returns n zeroed bytes of the heap, 8-byte aligned.
func alignedBytes(n int) []byte {
	words := make([]uint64, (n+7)/8)
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(words))), n)
}

// Uncache asks the kernel to drop the file's pages from the page cache
// (POSIX_FADV_DONTNEED; pages still dirty or mapped stay). A file written
// and then read back is cached as written, mostly in small folios, which
// MapFile maps with 4 KiB pages; read back after Uncache it comes in by
// readahead in huge folios, mapped whole: the 100-copy province's 5.4 GB
// index had 99 % on huge pages so, 70–91 % as written
// (docs/performance.md).
func Uncache(f *os.File) error {
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		return fmt.Errorf("uncache %s: %w", f.Name(), err)
	}
	return nil
}
