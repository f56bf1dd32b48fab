package bigmem

const (
	hugeThresholdForTest = hugeThreshold
	hugePageForTest      = hugePage
)
