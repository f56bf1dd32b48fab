package lookup

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// lineWindow is how many input bytes a lineReader holds before it drops
// those before the value being read.
const lineWindow = 1 << 20

// lineReader passes a reader through and keeps what the line numbers of a
// JSON decoder's errors need: the count of newlines before its buffer, and in
// the buffer every byte from the start of the value being read (set with
// mark) on, however long that value is. An offset into the input that the
// decoder reports (json.Decoder.InputOffset) can then be given its line.
type lineReader struct {
	r     io.Reader
	buf   []byte // input from offset start on
	start int64
	lines int   // newlines before start
	keep  int64 // offset of the first byte still needed
}

func (l *lineReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if n > 0 {
		if len(l.buf)+n > lineWindow {
			l.trim()
		}
		l.buf = append(l.buf, p[:n]...)
	}
	return n, err
}

// trim drops the bytes before keep, once they are at least half the buffer
// (so that each byte is moved a bounded number of times).
func (l *lineReader) trim() {
	drop := int(min(l.keep-l.start, int64(len(l.buf))))
	if drop < len(l.buf)/2 {
		return
	}
	l.lines += bytes.Count(l.buf[:drop], nl)
	l.buf = append(l.buf[:0], l.buf[drop:]...)
	l.start += int64(drop)
}

// mark says that the bytes before offset off are no longer needed.
func (l *lineReader) mark(off int64) {
	if off > l.keep {
		l.keep = off
	}
}

var nl = []byte{'\n'}

// lineAt returns the 1-based line of the byte at offset off, or 0 when off
// lies before the kept bytes.
func (l *lineReader) lineAt(off int64) int {
	if off < l.start {
		return 0
	}
	i := int(min(off-l.start, int64(len(l.buf))))
	return l.lines + 1 + bytes.Count(l.buf[:i], nl)
}

// from returns the kept bytes from offset off on (nil before them).
func (l *lineReader) from(off int64) []byte {
	if off < l.start {
		return nil
	}
	return l.buf[min(off-l.start, int64(len(l.buf))):]
}

// lineOfValue returns the 1-based line of the first byte at or after offset
// off that is not JSON white space (where a value that a decoder was about
// to read starts), or 0 when off lies before the kept bytes.
func (l *lineReader) lineOfValue(off int64) int {
	line := l.lineAt(off)
	if line == 0 {
		return 0
	}
	for _, c := range l.from(off) {
		switch c {
		case '\n':
			line++
		case ' ', '\t', '\r':
		default:
			return line
		}
	}
	return line
}

// lineOfError returns the line of err, an error of a decoder that failed
// reading a value from offset off (where the decoder stays after a failure).
// For a syntax error inside that value it is the line of the offending byte,
// found by reading the value again from the kept bytes; when the value itself
// is well formed, the fault is a separator missing before it (a comma between
// two points, a colon after a key) and the line is where the value starts, as
// it is for any other error. 0 when off lies before the kept bytes.
func (l *lineReader) lineOfError(off int64, err error) int {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return l.lineOfValue(off)
	}
	b := l.from(off)
	var v json.RawMessage
	if json.NewDecoder(bytes.NewReader(b)).Decode(&v) == nil {
		return l.lineOfValue(off)
	}
	if e := json.Unmarshal(b, &v); errors.As(e, &se) && se.Offset > 0 && int(se.Offset) <= len(b) {
		if line := l.lineAt(off); line > 0 {
			return line + bytes.Count(b[:se.Offset-1], nl)
		}
	}
	return l.lineOfValue(off)
}
