//go:build linux

package bigmem

import (
	"fmt"
	"os"
	"syscall"
)

// MapFile maps the file at path read-only and shared, with its pages read
// in (and mapped) ahead, and returns its bytes and a function that unmaps
// them. Processes that map one file share its pages in the page cache; the
// kernel backs such a mapping with 4 KiB pages (no transparent huge pages
// for files on most kernels). An empty file maps to nil.
func MapFile(path string) ([]byte, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if fi.Size() == 0 {
		return nil, func() {}, nil
	}
	if int64(int(fi.Size())) != fi.Size() {
		return nil, nil, fmt.Errorf("map %s: %d bytes do not fit in memory", path, fi.Size())
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED|syscall.MAP_POPULATE)
	if err != nil {
		return nil, nil, fmt.Errorf("map %s: %w", path, err)
	}
	const madvHugepage = 14 // MADV_HUGEPAGE: taken where the kernel collapses file pages
	_ = syscall.Madvise(mem, madvHugepage)
	return mem, func() { syscall.Munmap(mem) }, nil
}

// ReadFile reads the file at path into memory from Alloc (outside the Go
// heap, on huge pages where the kernel allows it) and returns its bytes and
// a function that releases them: the copy costs a read of the file, and
// lookups over it then run as over memory the process built itself.
func ReadFile(path string) ([]byte, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if int64(int(fi.Size())) != fi.Size() {
		return nil, nil, fmt.Errorf("read %s: %d bytes do not fit in memory", path, fi.Size())
	}
	b, free := Alloc[byte](int(fi.Size()))
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
