package lookup

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
)

// TestLineReaderAcrossWindows reads 5 MB (several window turns) in chunks of
// random sizes and checks, after each chunk, the line of offsets within the
// kept window against a plain count, and that offsets older than it have
// none.
func TestLineReaderAcrossWindows(t *testing.T) {
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
	read := int64(0)
	for {
		n, err := l.Read(buf[:1+rng.IntN(len(buf)-1)])
		read += int64(n)
		for k := 0; k < 20; k++ {
			off := read - int64(rng.IntN(int(min(read, 3<<20))+1))
			want := 1 + bytes.Count(in[:off], []byte{'\n'})
			got := l.lineAt(off)
			if got != 0 && got != want {
				t.Fatalf("after %d bytes, offset %d: line %d, want %d", read, off, got, want)
			}
			if got == 0 && read-off <= lineWindow {
				t.Fatalf("after %d bytes, offset %d is within the last window but has no line", read, off)
			}
			if got != 0 && !bytes.Equal(l.bytesFrom(off), in[off:read]) {
				t.Fatalf("after %d bytes, bytes from offset %d differ", read, off)
			}
		}
		if err == io.EOF {
			break
		}
	}
	if read != int64(len(in)) {
		t.Fatalf("read %d of %d bytes", read, len(in))
	}
}
