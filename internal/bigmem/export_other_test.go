//go:build !linux

package bigmem

const (
	hugeThresholdForTest = 0
	hugePageForTest      = 1
)
