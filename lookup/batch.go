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
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/geo"
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

// Batch reads points from r in format f, looks each up and writes the
// answers to w as it goes, so that neither side is held in memory. On bad
// input it stops with an *InputError, after writing a trailer that tells a
// reader of w the answer is incomplete (JSON: an "error" member; NDJSON: an
// {"error":..} line; CSV: nothing more).
func (e *Encoder) Batch(r io.Reader, w io.Writer, f Format) (n int, err error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	defer func() {
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
	}()
	switch f {
	case NDJSON:
		return e.batchNDJSON(r, bw)
	case CSV:
		return e.batchCSV(r, bw)
	}
	return e.batchJSON(r, bw)
}

// point is one input point of JSON and NDJSON batches.
type point struct {
	ID  json.RawMessage `json:"id"`
	Lon *float64        `json:"lon"`
	Lat *float64        `json:"lat"`
}

func (p *point) check(i, line int) error {
	if p.Lon == nil {
		return &InputError{Index: i, Line: line, Field: "lon", Msg: "lon missing"}
	}
	if p.Lat == nil {
		return &InputError{Index: i, Line: line, Field: "lat", Msg: "lat missing"}
	}
	if field, msg := CheckLonLat(*p.Lon, *p.Lat); field != "" {
		return &InputError{Index: i, Line: line, Field: field, Msg: msg}
	}
	return nil
}

func appendErrorJSON(b []byte, err error) []byte {
	b = append(b, `{"message":`...)
	b = appendJSONString(b, err.Error())
	var ie *InputError
	if errors.As(err, &ie) {
		b = append(b, `,"index":`...)
		b = strconv.AppendInt(b, int64(ie.Index), 10)
		if ie.Field != "" {
			b = append(b, `,"field":`...)
			b = appendJSONString(b, ie.Field)
		}
	}
	return append(b, '}')
}

func (e *Encoder) batchJSON(r io.Reader, w *bufio.Writer) (int, error) {
	dec := json.NewDecoder(r)
	n := 0
	fail := func(err error) (int, error) {
		b := []byte(`],"error":`)
		b = appendErrorJSON(b, err)
		b = append(b, "}\n"...)
		w.Write(b)
		return n, err
	}
	expect := func(want json.Delim, what string) error {
		t, err := dec.Token()
		if err != nil {
			return &InputError{Index: n, Msg: fmt.Sprintf("want %s: %v", what, err)}
		}
		if d, ok := t.(json.Delim); !ok || d != want {
			return &InputError{Index: n, Msg: fmt.Sprintf("want %s, got %v", what, t)}
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
		t, err := dec.Token()
		if err != nil {
			return fail(&InputError{Index: n, Msg: err.Error()})
		}
		key, _ := t.(string)
		if key != "points" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fail(&InputError{Index: n, Field: key, Msg: err.Error()})
			}
			continue
		}
		found = true
		if err := expect('[', `an array of points`); err != nil {
			return fail(err)
		}
		var hits []geo.Hit
		var b []byte
		for dec.More() {
			var p point
			if err := dec.Decode(&p); err != nil {
				return fail(&InputError{Index: n, Msg: err.Error()})
			}
			if err := p.check(n, 0); err != nil {
				return fail(err)
			}
			hits = e.idx.AppendChains(hits[:0], *p.Lon, *p.Lat)
			b = b[:0]
			if n > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = appendRawID(b, p.ID)
			b = append(b, `,"chain":`...)
			b = e.AppendChain(b, hits)
			b = append(b, '}')
			if _, err := w.Write(b); err != nil {
				return n, err
			}
			n++
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
	w.WriteString("]}\n")
	return n, nil
}

// appendRawID appends an id as given, or null.
func appendRawID(b []byte, id json.RawMessage) []byte {
	if len(id) == 0 {
		return append(b, "null"...)
	}
	return append(b, id...)
}

func (e *Encoder) batchNDJSON(r io.Reader, w *bufio.Writer) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n, line := 0, 0
	var hits []geo.Hit
	var b []byte
	fail := func(err error) (int, error) {
		b := []byte(`{"error":`)
		b = appendErrorJSON(b, err)
		b = append(b, '\n')
		w.Write(b)
		return n, err
	}
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var p point
		if err := json.Unmarshal(text, &p); err != nil {
			return fail(&InputError{Index: n, Line: line, Msg: err.Error()})
		}
		if err := p.check(n, line); err != nil {
			return fail(err)
		}
		hits = e.idx.AppendChains(hits[:0], *p.Lon, *p.Lat)
		b = append(b[:0], `{"id":`...)
		b = appendRawID(b, p.ID)
		b = append(b, `,"version":`...)
		b = appendJSONString(b, e.version)
		b = append(b, `,"chain":`...)
		b = e.AppendChain(b, hits)
		b = append(b, "}\n"...)
		if _, err := w.Write(b); err != nil {
			return n, err
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return fail(&InputError{Index: n, Line: line + 1, Msg: err.Error()})
	}
	return n, nil
}

// CSVHeader returns the header of CSV answers: id,lon,lat and the layer
// names, finest first.
func (e *Encoder) CSVHeader() []string {
	h := []string{"id", "lon", "lat"}
	d := e.idx.Dataset()
	for _, li := range e.finestFirst {
		h = append(h, d.Layers[li].Name)
	}
	return h
}

func (e *Encoder) batchCSV(r io.Reader, w *bufio.Writer) (int, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	cw := csv.NewWriter(w)
	defer cw.Flush()
	head, err := cr.Read()
	if err == io.EOF {
		return 0, &InputError{Index: 0, Line: 1, Msg: "empty input: want a header id,lon,lat"}
	}
	if err != nil {
		return 0, &InputError{Index: 0, Line: 1, Msg: err.Error()}
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
	cw.Write(e.CSVHeader())
	d := e.idx.Dataset()
	row := make([]string, 3+len(d.Layers))
	var hits []geo.Hit
	n := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return n, &InputError{Index: n, Line: line, Msg: err.Error()}
		}
		if len(rec) <= need {
			return n, &InputError{Index: n, Line: line, Msg: fmt.Sprintf("%d fields, want at least %d", len(rec), need+1)}
		}
		lon, err1 := strconv.ParseFloat(strings.TrimSpace(rec[xc]), 64)
		lat, err2 := strconv.ParseFloat(strings.TrimSpace(rec[yc]), 64)
		if err1 != nil {
			return n, &InputError{Index: n, Line: line, Field: "lon", Msg: fmt.Sprintf("lon %q is not a number", rec[xc])}
		}
		if err2 != nil {
			return n, &InputError{Index: n, Line: line, Field: "lat", Msg: fmt.Sprintf("lat %q is not a number", rec[yc])}
		}
		if field, msg := CheckLonLat(lon, lat); field != "" {
			return n, &InputError{Index: n, Line: line, Field: field, Msg: msg}
		}
		hits = e.idx.AppendChains(hits[:0], lon, lat)
		row[0], row[1], row[2] = rec[ic], rec[xc], rec[yc]
		for i := 3; i < len(row); i++ {
			row[i] = ""
		}
		for _, h := range hits {
			for i, li := range e.finestFirst {
				if li == h.Layer {
					row[3+i] = e.idx.Grid(h).Code
				}
			}
		}
		if err := cw.Write(row); err != nil {
			return n, err
		}
		n++
	}
	cw.Flush()
	return n, cw.Error()
}
