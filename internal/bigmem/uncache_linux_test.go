//go:build linux

package bigmem

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"unsafe"
)

// TestUncache checks that a written, synced file's pages leave the page
// cache: none of them is resident afterwards (mincore).
func TestUncache(t *testing.T) {
	const size = 4 << 20
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(make([]byte, size)); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	resident := func() int {
		mem, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
		if err != nil {
			t.Fatal(err)
		}
		defer syscall.Munmap(mem)
		vec := make([]byte, size/os.Getpagesize())
		if _, _, errno := syscall.Syscall(syscall.SYS_MINCORE, uintptr(unsafe.Pointer(&mem[0])), size, uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
			t.Fatal(errno)
		}
		n := 0
		for _, v := range vec {
			n += int(v & 1)
		}
		return n
	}
	if n := resident(); n == 0 {
		t.Skip("the file was not cached after its write; nothing to drop")
	}
	if err := Uncache(f); err != nil {
		t.Fatal(err)
	}
	if n := resident(); n != 0 {
		t.Errorf("%d of %d pages still cached after Uncache", n, size/os.Getpagesize())
	}
}
