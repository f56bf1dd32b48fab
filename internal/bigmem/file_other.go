//go:build !linux

package bigmem

import (
	"os"
	"unsafe"
)

// MapFile reads the file at path into the heap (no mapping here).
func MapFile(path string) ([]byte, func(), error) { return ReadFile(path) }

// ReadFile reads the file at path into the heap, 8-byte aligned.
func ReadFile(path string) ([]byte, func(), error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	words := make([]uint64, (len(b)+7)/8)
	out := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(words))), len(b))
	copy(out, b)
	return out, func() {}, nil
}

// HugeMapped returns len(b): there is nothing to tell here.
func HugeMapped(b []byte) (int, error) { return len(b), nil }

// Uncache does nothing here.
func Uncache(f *os.File) error { return nil }
