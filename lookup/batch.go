package lookup

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo/index"
)

// Format is the encoding of a batch, in and out.
type Format int

// Batch formats.
const (
	// JSON in: {"points":[{"id":..,"lon":..,"lat":..},..]}; out:
	// {"version":..,"results":[{"id":..,"chain":[..]},..]} in input order.
	JSON Format = iota
	// NDJSON in: one {"id":..,"lon":..,"lat":..} per line; out: one
	// {"id":..,"version":..,"chain":[..]} per line, streamed.
	NDJSON
	// CSV in: a header id,lon,lat then rows; out: id,lon,lat and one
	// column per layer, finest first, holding the code (empty when none).
	CSV
)

// WriteChunk is how many bytes of a batch's answer Batch writes at a time,
// from a goroutine of its own: large writes keep the hand-overs to that
// goroutine and the write system calls few. Measured end to end
// (docs/performance.md): 1 MiB gave NDJSON 7 % and CSV 4 % more points per
// second than 256 KiB, and 512 KiB as much as 1 MiB with half the buffers
// (three per batch).
const WriteChunk = 512 << 10

// ErrUnsupportedFormat is returned by ParseFormat for a media type that is
// not a batch format.
var ErrUnsupportedFormat = errors.New("unsupported batch format")

// ParseFormat maps a Content-Type (or Accept) value to a Format: JSON for
// application/json or an empty value, NDJSON for application/x-ndjson (also
// application/ndjson, application/jsonl), CSV for text/csv.
func ParseFormat(contentType string) (Format, error) {
	if strings.TrimSpace(contentType) == "" {
		return JSON, nil
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrUnsupportedFormat, contentType)
	}
	switch mt {
	case "application/json":
		return JSON, nil
	case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines":
		return NDJSON, nil
	case "text/csv":
		return CSV, nil
	}
	return 0, fmt.Errorf("%w: %q (use application/json, application/x-ndjson or text/csv)", ErrUnsupportedFormat, mt)
}

// ContentType returns the media type of answers in format f.
func (f Format) ContentType() string {
	switch f {
	case NDJSON:
		return "application/x-ndjson"
	case CSV:
		return "text/csv; charset=utf-8"
	}
	return "application/json; charset=utf-8"
}

// InputError is a fault in a batch's input. It names the point (0-based
// index), its line in the input when known (1-based), and the field.
type InputError struct {
	Index int
	Line  int
	Field string
	Msg   string
}

func (e *InputError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "point %d", e.Index)
	if e.Line > 0 {
		fmt.Fprintf(&b, " (line %d)", e.Line)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ", field %s", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// CheckLonLat reports a coordinate that is not a finite (lon, lat) in range
// as an error naming the field.
func CheckLonLat(lon, lat float64) (field, msg string) {
	switch {
	case math.IsNaN(lon) || math.IsInf(lon, 0):
		return "lon", "lon is not a finite number"
	case math.IsNaN(lat) || math.IsInf(lat, 0):
		return "lat", "lat is not a finite number"
	case lon < -180 || lon > 180:
		return "lon", fmt.Sprintf("lon %v out of range [-180, 180]", lon)
	case lat < -90 || lat > 90:
		return "lat", fmt.Sprintf("lat %v out of range [-90, 90]", lat)
	}
	return "", ""
}

// Batch reads points from r in format f, looks each up with the options o
// (nil: WGS84, all layers) and writes the answers to w as it goes, so that
// neither side is held in memory. On bad input it stops with an
// *InputError, after writing a trailer that tells a reader of w the answer
// is incomplete (JSON: an "error" member; NDJSON: an {"error":..} line; CSV:
// nothing more).
func (e *Encoder) Batch(r io.Reader, w io.Writer, f Format, o *Options) (n int, err error) {
	defer runtime.KeepAlive(e) // the encoded elements are released with e
	bw := newAsyncWriter(w, WriteChunk, 3)
	defer func() {
		if ferr := bw.Close(); err == nil {
			err = ferr
		}
	}()
	ir := newIdleReader(r, batchIdle)
	defer ir.close()
	switch f {
	case NDJSON:
		return e.batchNDJSON(ir, bw, o)
	case CSV:
		return e.batchCSV(ir, bw, o)
	}
	return e.batchJSON(ir, bw, o)
}

// sendWhenIdle makes a pause of the client's input send the answers of
// every point read so far on to the reader of the answer.
func sendWhenIdle(r *idleReader, blk *block, w *asyncWriter) {
	r.onIdle = func() {
		// only once some point is answered: a client that pauses before
		// its first point (a slow network, Expect: 100-continue) keeps
		// the 400 for bad input
		if blk.flush() == nil && blk.answered > 0 {
			w.FlushThrough()
		}
	}
}

func appendErrorJSON(b []byte, err error) []byte {
	b = append(b, `{"message":`...)
	b = appendJSONString(b, err.Error())
	var ie *InputError
	if errors.As(err, &ie) {
		b = append(b, `,"index":`...)
		b = strconv.AppendInt(b, int64(ie.Index), 10)
		if ie.Line > 0 {
			b = append(b, `,"line":`...)
			b = strconv.AppendInt(b, int64(ie.Line), 10)
		}
		if ie.Field != "" {
			b = append(b, `,"field":`...)
			b = appendJSONString(b, ie.Field)
		}
	}
	return append(b, '}')
}

func (e *Encoder) batchJSON(r *idleReader, w *asyncWriter, o *Options) (int, error) {
	lr := &lineReader{r: r}
	dec := json.NewDecoder(lr)
	n := 0 // points read
	// lines are counted for errors only; before each read, the reader is
	// told where the value to come starts (the bytes before are not needed)
	blk := newBlock(e, o, e.chainsEmitter(w, "}"))
	defer blk.stop()
	sendWhenIdle(r, blk, w)
	fail := func(err error) (int, error) {
		if ferr := blk.flush(); ferr != nil {
			return blk.answered, ferr
		}
		b := []byte(`],"error":`)
		b = appendErrorJSON(b, err)
		b = append(b, "}\n"...)
		w.Write(b)
		return blk.answered, err
	}
	expect := func(want json.Delim, what string) error {
		from := dec.InputOffset()
		lr.mark(from)
		t, err := dec.Token()
		if err != nil {
			return &InputError{Index: n, Line: lr.lineOfError(from, err), Msg: fmt.Sprintf("want %s: %v", what, err)}
		}
		if d, ok := t.(json.Delim); !ok || d != want {
			return &InputError{Index: n, Line: lr.lineOfValue(from), Msg: fmt.Sprintf("want %s, got %v", what, t)}
		}
		return nil
	}
	head := []byte(`{"version":`)
	head = appendJSONString(head, e.version)
	head = append(head, `,"results":[`...)
	w.Write(head)
	if err := expect('{', `an object {"points":[...]}`); err != nil {
		return fail(err)
	}
	found := false
	for dec.More() {
		from := dec.InputOffset()
		lr.mark(from)
		t, err := dec.Token()
		if err != nil {
			return fail(&InputError{Index: n, Line: lr.lineOfError(from, err), Msg: err.Error()})
		}
		key, _ := t.(string)
		if key != "points" {
			var skip json.RawMessage
			lr.mark(dec.InputOffset())
			if err := dec.Decode(&skip); err != nil {
				return fail(&InputError{Index: n, Line: lr.lineOfError(dec.InputOffset(), err), Field: key, Msg: err.Error()})
			}
			continue
		}
		found = true
		if err := expect('[', `an array of points`); err != nil {
			return fail(err)
		}
		var raw json.RawMessage
		for dec.More() {
			raw = raw[:0]
			lr.mark(dec.InputOffset())
			if err := dec.Decode(&raw); err != nil {
				// the decoder stays at the start of the value it failed on
				return fail(&InputError{Index: n, Line: lr.lineOfError(dec.InputOffset(), err), Msg: err.Error()})
			}
			p, err := parsePoint(raw, n, 0)
			if err != nil {
				// the line where the point starts
				if ie, ok := err.(*InputError); ok {
					ie.Line = lr.lineOfValue(dec.InputOffset() - int64(len(raw)))
				}
				return fail(err)
			}
			if n > 0 {
				blk.cur.arena = append(blk.cur.arena, ',')
			}
			blk.cur.arena = append(blk.cur.arena, `{"id":`...)
			blk.cur.arena = appendRawID(blk.cur.arena, p.id)
			blk.cur.arena = append(blk.cur.arena, ',')
			blk.add(p.lon, p.lat)
			n++
			if blk.full() {
				if err := blk.submit(); err != nil {
					return blk.answered, err
				}
			}
		}
		if err := blk.flush(); err != nil {
			return blk.answered, err
		}
		if err := expect(']', "end of the points array"); err != nil {
			return fail(err)
		}
	}
	if !found {
		return fail(&InputError{Index: 0, Field: "points", Msg: `body has no "points" array`})
	}
	if err := expect('}', "end of the object"); err != nil {
		return fail(err)
	}
	from := dec.InputOffset()
	lr.mark(from)
	if t, err := dec.Token(); err != io.EOF {
		msg := fmt.Sprintf("unexpected %v after the object", t)
		line := lr.lineOfValue(from)
		if err != nil {
			msg = "unexpected data after the object: " + err.Error()
			line = lr.lineOfError(from, err)
		}
		return fail(&InputError{Index: n, Line: line, Msg: msg})
	}
	w.WriteString("]}\n")
	return blk.answered, nil
}

// appendRawID appends an id as given, or null.
// Bytes that are not UTF-8 (a Latin-1 or GBK id) become U+FFFD, so that
// the answer stays the UTF-8 JSON its Content-Type says.
func appendRawID(b []byte, id []byte) []byte {
	if len(id) == 0 {
		return append(b, "null"...)
	}
	if !utf8.Valid(id) {
		return append(b, bytes.ToValidUTF8(id, []byte("\uFFFD"))...)
	}
	return append(b, id...)
}

func (e *Encoder) batchNDJSON(r *idleReader, w *asyncWriter, o *Options) (int, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	n, line := 0, 0 // points and lines read
	// every answer line names the version: encoded once
	version := append(appendJSONString([]byte(`,"version":`), e.version), ',')
	blk := newBlock(e, o, e.chainsEmitter(w, "}\n"))
	defer blk.stop()
	sendWhenIdle(r, blk, w)
	fail := func(err error) (int, error) {
		if ferr := blk.flush(); ferr != nil {
			return blk.answered, ferr
		}
		b := []byte(`{"error":`)
		b = appendErrorJSON(b, err)
		b = append(b, "}\n"...)
		w.Write(b)
		return blk.answered, err
	}
	for {
		// answer what is queued before a read that may wait for the client
		if blk.full() || br.Buffered() == 0 {
			if err := blk.submit(); err != nil {
				return blk.answered, err
			}
		}
		text, rerr := readLine(br)
		if rerr != nil && rerr != io.EOF {
			return fail(&InputError{Index: n, Line: line + 1, Msg: rerr.Error()})
		}
		if len(text) > 0 || rerr == nil {
			line++
		}
		text = trimJSONSpace(text)
		if len(text) > 0 {
			p, err := parsePoint(text, n, line)
			if err != nil {
				return fail(err)
			}
			blk.cur.arena = append(blk.cur.arena, `{"id":`...)
			blk.cur.arena = appendRawID(blk.cur.arena, p.id)
			blk.cur.arena = append(blk.cur.arena, version...)
			blk.add(p.lon, p.lat)
			n++
		}
		if rerr == io.EOF {
			err := blk.flush()
			return blk.answered, err
		}
	}
}

var quote = []byte{'"'}

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
	line = bytes.TrimSuffix(line, []byte{'\n'})
	line = bytes.TrimSuffix(line, []byte{'\r'})
	return line, err
}

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

func (e *Encoder) batchCSV(r *idleReader, w *asyncWriter, o *Options) (int, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	headLine, err := readLine(br)
	if err != nil && err != io.EOF {
		return 0, &InputError{Index: 0, Line: 1, Msg: err.Error()}
	}
	// a spreadsheet's byte order mark, before a quoted header too
	headLine = bytes.TrimPrefix(headLine, []byte("\ufeff"))
	head, cerr := splitCSV(headLine)
	if cerr != nil || len(bytes.TrimSpace(headLine)) == 0 {
		return 0, &InputError{Index: 0, Line: 1, Msg: "want a header id,lon,lat"}
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, want := range []string{"id", "lon", "lat"} {
		if _, ok := col[want]; !ok {
			return 0, &InputError{Index: 0, Line: 1, Field: want, Msg: fmt.Sprintf("header has no %q column (want id,lon,lat)", want)}
		}
	}
	ic, xc, yc := col["id"], col["lon"], col["lat"]
	need := max(ic, xc, yc)
	layers := e.csvLayers(o)
	// the CSV answer has no boundary flags: skip computing them
	var q Options
	if o != nil {
		q = *o
	}
	q.Query.BoundaryM = -1
	o = &q
	col2 := make([]int, len(e.idx.Dataset().Layers)) // layer position → output column, or -1
	for i := range col2 {
		col2[i] = -1
	}
	for i, li := range layers {
		col2[li] = i
	}
	var b []byte
	for i, h := range e.CSVHeader(o) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSVField(b, h)
	}
	b = append(b, '\n')
	w.Write(b)
	d := e.idx.Dataset()
	codes := make([]string, len(layers))
	blk := newBlock(e, o, func(pre []byte, hits []index.Hit) error {
		for i := range codes {
			codes[i] = ""
		}
		for _, h := range hits {
			if c := col2[h.Layer]; c >= 0 && codes[c] == "" {
				codes[c] = d.Layers[h.Layer].Grids[h.Grid].Code
			}
		}
		out, err := w.tail() // encoded in place (see chainsEmitter)
		if err != nil {
			return err
		}
		out = append(out, pre...)
		for _, c := range codes {
			out = append(out, ',')
			out = appendCSVField(out, c)
		}
		return w.commit(append(out, '\n'))
	})
	defer blk.stop()
	sendWhenIdle(r, blk, w)
	// fail answers the queued points before reporting err
	fail := func(err error) (int, error) {
		if ferr := blk.flush(); ferr != nil {
			return blk.answered, ferr
		}
		return blk.answered, err
	}
	var fields []string
	var rec []byte  // a record over several lines
	n, line := 0, 1 // points and lines read
	for err != io.EOF {
		// answer what is queued before a read that may wait for the client
		if blk.full() || br.Buffered() == 0 {
			if ferr := blk.submit(); ferr != nil {
				return blk.answered, ferr
			}
		}
		var text []byte
		text, err = readLine(br)
		if err != nil && err != io.EOF {
			return fail(&InputError{Index: n, Line: line + 1, Msg: err.Error()})
		}
		line++
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		// a quoted field may hold line breaks: a record whose quotes do not
		// pair up goes on over the next lines (errors name its first)
		first := line
		if open := bytes.Count(text, quote)%2 == 1; open {
			rec = append(rec[:0], text...)
			for open && err == nil {
				text, err = readLine(br)
				if err != nil && err != io.EOF {
					return fail(&InputError{Index: n, Line: first, Msg: err.Error()})
				}
				line++
				if len(rec)+1+len(text) > maxLine {
					return fail(&InputError{Index: n, Line: first, Msg: fmt.Sprintf("record longer than %d bytes (a quoted field left open?)", maxLine)})
				}
				rec = append(append(rec, '\n'), text...)
				open = open != (bytes.Count(text, quote)%2 == 1)
			}
			text = rec
		}
		var ferr error
		fields, ferr = splitCSVInto(fields[:0], text)
		if ferr != nil {
			// encoding/csv counts lines and columns within the record
			msg := ferr.Error()
			var pe *csv.ParseError
			if errors.As(ferr, &pe) {
				msg = fmt.Sprintf("line %d, column %d: %v", first+pe.Line-1, pe.Column, pe.Err)
			}
			return fail(&InputError{Index: n, Line: first, Msg: msg})
		}
		if len(fields) <= need {
			missing := "id"
			for _, c := range []struct {
				name string
				at   int
			}{{"id", ic}, {"lon", xc}, {"lat", yc}} {
				if c.at >= len(fields) {
					missing = c.name
					break
				}
			}
			return fail(&InputError{Index: n, Line: first, Field: missing,
				Msg: fmt.Sprintf("%d fields, want at least %d (no %s)", len(fields), need+1, missing)})
		}
		lon, ok1 := ParseDecimal(fields[xc])
		lat, ok2 := ParseDecimal(fields[yc])
		if !ok1 {
			return fail(&InputError{Index: n, Line: first, Field: "lon", Msg: fmt.Sprintf("lon %q is not a number", fields[xc])})
		}
		if !ok2 {
			return fail(&InputError{Index: n, Line: first, Field: "lat", Msg: fmt.Sprintf("lat %q is not a number", fields[yc])})
		}
		if field, msg := CheckLonLat(lon, lat); field != "" {
			return fail(&InputError{Index: n, Line: first, Field: field, Msg: msg})
		}
		blk.cur.arena = appendCSVField(blk.cur.arena, fields[ic])
		blk.cur.arena = append(blk.cur.arena, ',')
		blk.cur.arena = appendCSVField(blk.cur.arena, fields[xc])
		blk.cur.arena = append(blk.cur.arena, ',')
		blk.cur.arena = appendCSVField(blk.cur.arena, fields[yc])
		blk.add(lon, lat)
		n++
	}
	err = blk.flush()
	return blk.answered, err
}
