//go:build !linux

package bigmem

import "os"

// MapFile reads the file at path into the heap (no mapping here).
func MapFile(path string) ([]byte, func(), error) { return ReadFile(path) }

// ReadFile reads the file at path into the heap.
func ReadFile(path string) ([]byte, func(), error) {
	b, err := os.ReadFile(path)
	return b, func() {}, err
}
