package lookup

import (
	"bufio"
	"fmt"
	"io"
)

// inputBuffer is the read buffer of NDJSON and CSV input.
const inputBuffer = 256 << 10

// ndjsonReader reads the points of an NDJSON batch: one
// {"id":..,"lon":..,"lat":..} per line, blank lines skipped.
type ndjsonReader struct {
	br      *bufio.Reader
	n, line int // points and lines read
	eof     bool
}

func newNDJSONReader(r io.Reader) *ndjsonReader {
	return &ndjsonReader{br: bufio.NewReaderSize(r, inputBuffer)}
}

func (r *ndjsonReader) mayWait() bool { return r.br.Buffered() == 0 }

func (r *ndjsonReader) next(p *point) error {
	for !r.eof {
		text, err := readLine(r.br)
		if err != nil && err != io.EOF {
			return &InputError{Index: r.n, Line: r.line + 1, Msg: err.Error()}
		}
		r.eof = err == io.EOF
		if len(text) > 0 || err == nil {
			r.line++
		}
		if text = trimJSONSpace(text); len(text) == 0 {
			continue
		}
		if err := parsePoint(p, text, r.n, r.line); err != nil {
			return err
		}
		r.n++
		return nil
	}
	return io.EOF
}

// ndjsonWriter writes the answer of an NDJSON batch: one
// {"id":..,"version":..,"chain":[..]} per point, and after bad input an
// {"error":..} line.
type ndjsonWriter struct {
	chainsAnswer
	// version is the member every answer line names, encoded once.
	version []byte
}

func (e *Encoder) newNDJSONWriter() *ndjsonWriter {
	return &ndjsonWriter{chainsAnswer{e, "}\n"}, append(appendJSONString([]byte(`,"version":`), e.version), ',')}
}

func (w *ndjsonWriter) appendHead(b []byte) []byte { return b }

func (w *ndjsonWriter) appendPrefix(b []byte, p *point) []byte {
	b = append(b, `{"id":`...)
	b = appendRawID(b, p.id)
	return append(b, w.version...)
}

func (w *ndjsonWriter) appendError(b []byte, err error) []byte {
	b = append(b, `{"error":`...)
	b = appendErrorJSON(b, err)
	return append(b, "}\n"...)
}

func (w *ndjsonWriter) appendEnd(b []byte) []byte { return b }

// maxLine caps one line of NDJSON or CSV input (and one CSV record).
const maxLine = 1 << 20

// readLine returns the next line without its end, valid until the next
// call; io.EOF comes with the last (possibly empty) piece.
func readLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		long := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			line, err = br.ReadSlice('\n')
			long = append(long, line...)
			if len(long) > maxLine {
				return nil, fmt.Errorf("line longer than %d bytes", maxLine)
			}
		}
		line = long
	}
	if err != nil && err != io.EOF {
		return nil, err
	}
	// the line end, byte by byte: bytes.TrimSuffix compares through
	// memeqbody, 2 % of a CSV batch's time
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, err
}

// trimJSONSpace trims JSON's whitespace (space, tab, CR, LF) from both ends
// of b; other Unicode spaces are not JSON's and stay, to be refused.
func trimJSONSpace(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	for j > i && (b[j-1] == ' ' || b[j-1] == '\t' || b[j-1] == '\r' || b[j-1] == '\n') {
		j--
	}
	return b[i:j]
}
