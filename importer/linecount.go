package importer

import (
	"io"
	"sort"
)

// lineCounter passes bytes through and remembers where lines start, so a
// byte offset reported by the JSON decoder can be turned into a line and a
// column without keeping the text. It costs one int64 per line.
type lineCounter struct {
	r      io.Reader
	n      int64
	starts []int64 // offsets of the first byte of lines 2, 3, ...
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			c.starts = append(c.starts, c.n+int64(i)+1)
		}
	}
	c.n += int64(n)
	return n, err
}

// position returns the 1-based line and byte column of offset off.
func (c *lineCounter) position(off int64) (line, col int) {
	i := sort.Search(len(c.starts), func(i int) bool { return c.starts[i] > off })
	start := int64(0)
	if i > 0 {
		start = c.starts[i-1]
	}
	return i + 1, int(off-start) + 1
}
