package lookup

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/gridmap/gridmap/geo"
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

// csvWriter writes the answer of a CSV batch: a header id,lon,lat and the
// layer names, finest first, then per point its id, lon and lat as given
// and the code of its grid in each layer (empty when none). Bad input adds
// nothing: the answer just ends.
type csvWriter struct {
	d      *geo.Dataset
	header []string
	// col maps a layer position to its column among the codes, or -1
	col   []int
	codes []string
}

func (e *Encoder) newCSVWriter(o *Options) *csvWriter {
	d := e.idx.Dataset()
	layers := e.csvLayers(o)
	w := &csvWriter{d: d, header: e.CSVHeader(o), col: make([]int, len(d.Layers)), codes: make([]string, len(layers))}
	for i := range w.col {
		w.col[i] = -1
	}
	for i, li := range layers {
		w.col[li] = i
	}
	return w
}

// csvOptions returns o for a CSV batch, whose answer has no boundary flags:
// they are not computed.
func csvOptions(o *Options) *Options {
	var q Options
	if o != nil {
		q = *o
	}
	q.Query.BoundaryM = -1
	return &q
}

func (w *csvWriter) appendHead(b []byte) []byte {
	for i, h := range w.header {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSVField(b, h)
	}
	return append(b, '\n')
}

func (w *csvWriter) appendPrefix(b []byte, p *point) []byte {
	b = appendCSVField(b, p.id)
	b = append(b, ',')
	b = appendCSVField(b, p.lonText)
	b = append(b, ',')
	return appendCSVField(b, p.latText)
}

func (w *csvWriter) appendAnswer(b, prefix []byte, hits []geo.Hit) []byte {
	for i := range w.codes {
		w.codes[i] = ""
	}
	for _, h := range hits {
		if c := w.col[h.Layer]; c >= 0 && w.codes[c] == "" {
			w.codes[c] = w.d.Layers[h.Layer].Grids[h.Grid].Code
		}
	}
	b = append(b, prefix...)
	for _, c := range w.codes {
		b = append(b, ',')
		b = appendCSVField(b, c)
	}
	return append(b, '\n')
}

func (w *csvWriter) appendError(b []byte, _ error) []byte { return b }

func (w *csvWriter) appendEnd(b []byte) []byte { return b }

// CSVHeader returns the header of CSV answers under the options o: id,lon,lat
// and the layer names, finest first.
func (e *Encoder) CSVHeader(o *Options) []string {
	h := []string{"id", "lon", "lat"}
	d := e.idx.Dataset()
	for _, li := range e.csvLayers(o) {
		h = append(h, d.Layers[li].Name)
	}
	return h
}

// csvLayers returns the layer positions of the CSV columns, finest first.
func (e *Encoder) csvLayers(o *Options) []int {
	if o == nil || o.Query.Layers == nil {
		return e.finestFirst
	}
	var out []int
	for _, li := range e.finestFirst {
		if li < len(o.Query.Layers) && o.Query.Layers[li] {
			out = append(out, li)
		}
	}
	return out
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

// appendCSVField appends s as a CSV field, quoted when it must be.
func appendCSVField(b []byte, s string) []byte {
	if csvPlain(s) {
		return append(b, s...)
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD") // the answer is UTF-8 text/csv
	}
	if !strings.ContainsAny(s, ",\"\r\n") && (s == "" || s[0] != ' ') {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}

// view returns the bytes of b as a string without copying; the string is
// valid only while b is not overwritten.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// csvPlain reports whether s is printable ASCII that needs no quoting as a
// CSV field (the fast path of appendCSVField: ids, coordinates, codes).
func csvPlain(s string) bool {
	if len(s) > 0 && s[0] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == ',' || c == '"' {
			return false
		}
	}
	return true
}
