//go:build !linux

package geo

// bigAlloc returns n zeroed elements of T from the heap.
func bigAlloc[T any](n int) ([]T, func()) { return make([]T, n), func() {} }

// releaseWith does nothing where bigAlloc uses the heap.
func releaseWith[P any](owner *P, release func()) {}
