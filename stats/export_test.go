package stats

// SetChunkRows makes l's queries scan n rows per chunk, so that a small
// ledger takes the parallel path (parallel.go).
func SetChunkRows(l *Ledger, n int) { l.chunk = n }
