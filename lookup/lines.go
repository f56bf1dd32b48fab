package lookup

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// lineWindow is how many of the most recent input bytes a lineReader keeps
// to place an offset on its line: far more than a JSON decoder holds ahead
// of the value it is reading.
const lineWindow = 1 << 20

// lineReader passes a reader through and keeps the line count of what has
// gone by and its last bytes (two windows of up to lineWindow), so that an
// offset into the input that a decoder reports (json.Decoder.InputOffset)
// can be given a line number for an error message.
type lineReader struct {
	r io.Reader
	// prev and cur are the last bytes read; prev starts at offset
	// prevStart, after prevLines newlines, and cur follows it.
	prev, cur []byte
	prevStart int64
	prevLines int
	prevNL    int // newlines in prev
}

func (l *lineReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if n > 0 {
		if len(l.cur)+n > lineWindow && len(l.cur) > 0 {
			// cur becomes prev; the old prev is forgotten
			l.prevStart += int64(len(l.prev))
			l.prevLines += l.prevNL
			l.prevNL = bytes.Count(l.cur, nl)
			l.prev, l.cur = l.cur, l.prev[:0]
		}
		l.cur = append(l.cur, p[:n]...)
	}
	return n, err
}

var nl = []byte{'\n'}

// lineAt returns the 1-based line of the byte at offset off, or 0 when off
// is no longer in the window.
func (l *lineReader) lineAt(off int64) int {
	if off < l.prevStart {
		return 0
	}
	i := int(off - l.prevStart)
	if i <= len(l.prev) {
		return l.prevLines + 1 + bytes.Count(l.prev[:i], nl)
	}
	i = min(i-len(l.prev), len(l.cur))
	return l.prevLines + 1 + l.prevNL + bytes.Count(l.cur[:i], nl)
}

// bytesFrom returns a copy of the window's bytes from offset off on.
func (l *lineReader) bytesFrom(off int64) []byte {
	if off < l.prevStart {
		return nil
	}
	i := int(off - l.prevStart)
	if i <= len(l.prev) {
		return append(append([]byte(nil), l.prev[i:]...), l.cur...)
	}
	return append([]byte(nil), l.cur[min(i-len(l.prev), len(l.cur)):]...)
}

// lineOfValue returns the 1-based line of the first byte at or after offset
// off that is not JSON white space (where a value that a decoder was about
// to read starts), or 0 when off is no longer in the window.
func (l *lineReader) lineOfValue(off int64) int {
	line := l.lineAt(off)
	if line == 0 {
		return 0
	}
	for _, c := range l.bytesFrom(off) {
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
// reading a value from offset off: for a syntax error the line of the
// offending byte (found by reading the value again from the window), else
// the line where the value starts; 0 when off is no longer in the window.
func (l *lineReader) lineOfError(off int64, err error) int {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return l.lineOfValue(off)
	}
	b := l.bytesFrom(off)
	var v json.RawMessage
	if e := json.Unmarshal(b, &v); errors.As(e, &se) && se.Offset > 0 && int(se.Offset) <= len(b) {
		if line := l.lineAt(off); line > 0 {
			return line + bytes.Count(b[:se.Offset-1], nl)
		}
	}
	return l.lineOfValue(off)
}
