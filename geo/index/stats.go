package index

// Bytes returns the memory held by the index's own arrays (cells, border
// candidates, hot levels, parent and ancestor tables), in bytes, wherever they
// live (the largest are mapped outside the Go heap).
func (x *Index) Bytes() int {
	n := 0
	for _, li := range x.layers {
		c := li.cells
		n += len(c.cells)*4 + len(c.border)*8 + c.hot.bytes()
		n += len(li.parent)*4 + len(li.up)*4
	}
	return n
}
