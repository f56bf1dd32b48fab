package lookup

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csvReader reads the points of a CSV batch (RFC 4180): a header naming the
// columns id, lon and lat in any order, then one record per point; a quoted
// field may hold commas, quotes and line breaks.
type csvReader struct {
	br *bufio.Reader
	// columns of id, lon and lat, and the largest of them
	idCol, lonCol, latCol, need int
	fields                      []string
	rec                         []byte // a record over several lines
	n, line                     int    // points and lines read
	eof                         bool
}

var quote = []byte{'"'}

// newCSVReader reads the header of a CSV batch.
func newCSVReader(r io.Reader) (*csvReader, error) {
	c := &csvReader{br: bufio.NewReaderSize(r, inputBuffer), line: 1}
	headLine, err := readLine(c.br)
	if err != nil && err != io.EOF {
		return nil, &InputError{Index: 0, Line: 1, Msg: err.Error()}
	}
	c.eof = err == io.EOF
	// a spreadsheet's byte order mark, before a quoted header too
	headLine = bytes.TrimPrefix(headLine, []byte("\ufeff"))
	head, err := splitCSV(headLine)
	if err != nil || len(bytes.TrimSpace(headLine)) == 0 {
		return nil, &InputError{Index: 0, Line: 1, Msg: "want a header id,lon,lat"}
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, want := range []string{"id", "lon", "lat"} {
		if _, ok := col[want]; !ok {
			return nil, &InputError{Index: 0, Line: 1, Field: want, Msg: fmt.Sprintf("header has no %q column (want id,lon,lat)", want)}
		}
	}
	c.idCol, c.lonCol, c.latCol = col["id"], col["lon"], col["lat"]
	c.need = max(c.idCol, c.lonCol, c.latCol)
	return c, nil
}

func (c *csvReader) mayWait() bool { return c.br.Buffered() == 0 }

func (c *csvReader) next(p *point) error {
	for !c.eof {
		text, err := c.readLine(c.line + 1)
		if err != nil {
			return err
		}
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		first := c.line
		if text, err = c.record(text, first); err != nil {
			return err
		}
		return c.point(p, text, first)
	}
	return io.EOF
}

// readLine reads the next line; a read error is placed on line at.
func (c *csvReader) readLine(at int) ([]byte, error) {
	text, err := readLine(c.br)
	if err != nil && err != io.EOF {
		return nil, &InputError{Index: c.n, Line: at, Msg: err.Error()}
	}
	c.eof = err == io.EOF
	c.line++
	return text, nil
}

// record returns the record that starts with text, on line first: one
// whose quotes do not pair up goes on over the next lines (errors name its
// first).
func (c *csvReader) record(text []byte, first int) ([]byte, error) {
	open := bytes.Count(text, quote)%2 == 1
	if !open {
		return text, nil
	}
	c.rec = append(c.rec[:0], text...)
	for open && !c.eof {
		text, err := c.readLine(first)
		if err != nil {
			return nil, err
		}
		if len(c.rec)+1+len(text) > maxLine {
			return nil, &InputError{Index: c.n, Line: first, Msg: fmt.Sprintf("record longer than %d bytes (a quoted field left open?)", maxLine)}
		}
		c.rec = append(append(c.rec, '\n'), text...)
		open = open != (bytes.Count(text, quote)%2 == 1)
	}
	return c.rec, nil
}

// point reads the point of a record, which starts on line first.
func (c *csvReader) point(p *point, text []byte, first int) error {
	fields, err := splitCSVInto(c.fields[:0], text)
	c.fields = fields
	if err != nil {
		// encoding/csv counts lines and columns within the record
		msg := err.Error()
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			msg = fmt.Sprintf("line %d, column %d: %v", first+pe.Line-1, pe.Column, pe.Err)
		}
		return &InputError{Index: c.n, Line: first, Msg: msg}
	}
	if len(fields) <= c.need {
		return c.short(first)
	}
	xy, err := ParsePoint(fields[c.lonCol], fields[c.latCol])
	if err != nil {
		ce := err.(*CoordError) // ParsePoint's only error
		return &InputError{Index: c.n, Line: first, Field: ce.Field, Msg: ce.Msg}
	}
	*p = point{id: fields[c.idCol], lonText: fields[c.lonCol], latText: fields[c.latCol],
		lon: xy[0], lat: xy[1], index: c.n, line: first}
	c.n++
	return nil
}

// short reports a record of too few fields, naming the first column
// missing.
func (c *csvReader) short(first int) error {
	missing := "id"
	for _, col := range []struct {
		name string
		at   int
	}{{"id", c.idCol}, {"lon", c.lonCol}, {"lat", c.latCol}} {
		if col.at >= len(c.fields) {
			missing = col.name
			break
		}
	}
	return &InputError{Index: c.n, Line: first, Field: missing,
		Msg: fmt.Sprintf("%d fields, want at least %d (no %s)", len(c.fields), c.need+1, missing)}
}

// splitCSV splits one CSV line into fields that own their bytes.
func splitCSV(line []byte) ([]string, error) {
	return splitCSVInto(nil, append([]byte(nil), line...))
}

// splitCSVInto appends the fields of one CSV line to dst: a plain split on
// commas when the line has no quotes, encoding/csv otherwise. Without
// quotes the fields are views of line, valid only while line is.
func splitCSVInto(dst []string, line []byte) ([]string, error) {
	if bytes.IndexByte(line, '"') < 0 {
		for {
			i := bytes.IndexByte(line, ',')
			if i < 0 {
				return append(dst, view(line)), nil
			}
			dst = append(dst, view(line[:i]))
			line = line[i+1:]
		}
	}
	rec, err := csv.NewReader(bytes.NewReader(line)).Read()
	if err != nil {
		return dst, err
	}
	return append(dst, rec...), nil
}
