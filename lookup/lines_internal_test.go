package lookup

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
)

// TestLineReaderKeepsFromMark reads 5 MB in chunks of random sizes, marking
// now and then a random offset behind the read position as the start of the
// value being read (sometimes far behind, as for a value of megabytes), and
// checks after each chunk that every offset from the mark on has its line and
// its bytes, and that the buffer stays bounded when the mark follows.
func TestLineReaderKeepsFromMark(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	in := make([]byte, 5<<20)
	for i := range in {
		if rng.IntN(40) == 0 {
			in[i] = '\n'
		} else {
			in[i] = 'a' + byte(rng.IntN(26))
		}
	}
	l := &lineReader{r: bytes.NewReader(in)}
	buf := make([]byte, 1<<17)
	read, mark := int64(0), int64(0)
	most := 0
	for {
		n, err := l.Read(buf[:1+rng.IntN(len(buf)-1)])
		read += int64(n)
		for k := 0; k < 20; k++ {
			off := mark + rng.Int64N(read-mark+1)
			want := 1 + bytes.Count(in[:off], []byte{'\n'})
			if got := l.lineAt(off); got != want {
				t.Fatalf("after %d bytes, mark %d, offset %d: line %d, want %d", read, mark, off, got, want)
			}
			if !bytes.Equal(l.from(off), in[off:read]) {
				t.Fatalf("after %d bytes, mark %d: bytes from offset %d differ", read, mark, off)
			}
		}
		// mostly the mark follows closely; once in a while it stays put
		// for a few megabytes
		if read < 2<<20 || read > 4<<20 {
			mark = max(mark, read-int64(rng.IntN(4096)))
			l.mark(mark)
		}
		if read > 4<<20+lineWindow/2 {
			most = max(most, len(l.buf))
		}
		if err == io.EOF {
			break
		}
	}
	if read != int64(len(in)) {
		t.Fatalf("read %d of %d bytes", read, len(in))
	}
	if most > 2*lineWindow+len(buf) {
		t.Fatalf("buffer of %d bytes with the mark following", most)
	}
}
