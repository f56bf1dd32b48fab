package bigmem

import (
	"testing"
	"unsafe"
)

// TestAlloc checks small and large allocations: the length asked for,
// zeroed, writable to the last element, and, for large ones on Linux,
// starting on a huge-page boundary outside the Go heap.
func TestAlloc(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 1 << 18, 3<<20 + 5} {
		s, free := Alloc[uint32](n)
		if len(s) != n {
			t.Fatalf("Alloc(%d): len %d", n, len(s))
		}
		for i, v := range s {
			if v != 0 {
				t.Fatalf("Alloc(%d)[%d] = %d, want 0", n, i, v)
			}
		}
		for i := range s {
			s[i] = uint32(i)
		}
		if n > 0 && s[n-1] != uint32(n-1) {
			t.Fatalf("Alloc(%d): last element not kept", n)
		}
		if n*4 >= hugeThresholdForTest && hugeThresholdForTest > 0 {
			if p := uintptr(unsafe.Pointer(&s[0])); p%hugePageForTest != 0 {
				t.Errorf("Alloc(%d) starts at %#x, not on a huge page", n, p)
			}
		}
		free()
	}
}
