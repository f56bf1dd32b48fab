package bigmem

import (
	"bytes"
	"errors"
	"testing"
)

// recorder records the offset and length of each write it is given, and
// fails once failAt bytes have been written when failAt > 0.
type recorder struct {
	bytes.Buffer
	writes [][2]int
	failAt int
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.failAt > 0 && r.Len()+len(p) > r.failAt {
		n, _ := r.Buffer.Write(p[:r.failAt-r.Len()])
		return n, errors.New("disk full")
	}
	r.writes = append(r.writes, [2]int{r.Len(), len(p)})
	return r.Buffer.Write(p)
}

func TestHugeWriter(t *testing.T) {
	const mb = 1 << 20
	for _, tc := range []struct {
		name  string
		sizes []int
	}{
		{"nothing", nil},
		{"one small", []int{10}},
		{"small then large", []int{100, 5 * mb, 7}},
		{"large unaligned first", []int{3*mb + 5, 1, 4 * mb, mb}},
		{"exact chunks", []int{2 * mb, 2 * mb}},
		{"many 1 MiB and odd", []int{mb, mb, mb, 12345, mb, 6*mb + 1, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r recorder
			h := NewHugeWriter(&r)
			var want []byte
			for i, n := range tc.sizes {
				p := bytes.Repeat([]byte{byte(i + 1)}, n)
				want = append(want, p...)
				if got, err := h.Write(p); got != n || err != nil {
					t.Fatalf("Write(%d bytes) = %d, %v", n, got, err)
				}
			}
			if err := h.Flush(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(r.Bytes(), want) {
				t.Fatalf("wrote %d bytes, not the %d given", r.Len(), len(want))
			}
			for i, w := range r.writes {
				if w[0]%writeChunk != 0 || (i < len(r.writes)-1 && w[1]%writeChunk != 0) {
					t.Errorf("write %d of %d: %d bytes at %d, not whole aligned huge pages", i, len(r.writes), w[1], w[0])
				}
			}
		})
	}
}

func TestHugeWriterError(t *testing.T) {
	r := recorder{failAt: 3 << 20}
	h := NewHugeWriter(&r)
	p := make([]byte, 5<<20)
	n, err := h.Write(p)
	if err == nil || n > len(p) {
		t.Fatalf("Write past the failure = %d, %v; want an error", n, err)
	}
	if _, err := h.Write([]byte{1}); err == nil {
		t.Error("Write after a failure: no error")
	}
	if err := h.Flush(); err == nil {
		t.Error("Flush after a failure: no error")
	}
}
