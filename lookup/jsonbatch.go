package lookup

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo/index"
)

// jsonReader reads the points of a JSON batch,
// {"points":[{"id":..,"lon":..,"lat":..},..]}, any other member refused, as a
// series of states: before the object, among its members, in the points
// array, past the end.
type jsonReader struct {
	// lines are counted for errors only; before each read, the reader is
	// told where the value to come starts (the bytes before are not needed)
	lr    *lineReader
	dec   *json.Decoder
	raw   json.RawMessage
	state jsonState
	found bool // a "points" member was read
	n     int  // points read
}

type jsonState int

const (
	jsonStart jsonState = iota
	jsonMembers
	jsonPoints
	jsonDone
)

func newJSONReader(r io.Reader) *jsonReader {
	lr := &lineReader{r: r}
	return &jsonReader{lr: lr, dec: json.NewDecoder(lr)}
}

// mayWait is false: the decoder reads ahead on its own, so the points are
// answered in full blocks (and when the client pauses, see sendWhenIdle).
func (r *jsonReader) mayWait() bool { return false }

func (r *jsonReader) next(p *point) error {
	for {
		switch r.state {
		case jsonStart:
			if err := r.expect('{', `an object {"points":[...]}`); err != nil {
				return err
			}
			r.state = jsonMembers
		case jsonMembers:
			if !r.dec.More() {
				r.state = jsonDone
				return r.end()
			}
			if err := r.member(); err != nil {
				return err
			}
		case jsonPoints:
			if r.dec.More() {
				return r.point(p)
			}
			if err := r.expect(']', "end of the points array"); err != nil {
				return err
			}
			r.state = jsonMembers
		default:
			return io.EOF
		}
	}
}

// member reads a member's key, then skips its value or, for "points",
// enters the array.
func (r *jsonReader) member() error {
	from := r.dec.InputOffset()
	r.lr.mark(from)
	t, err := r.dec.Token()
	if err != nil {
		return &InputError{Index: r.n, Line: r.lr.lineOfError(from, err), Msg: err.Error()}
	}
	key, _ := t.(string)
	if key != "points" {
		line := r.lr.lineAt(r.dec.InputOffset()) // where the key ends
		var skip json.RawMessage
		r.lr.mark(r.dec.InputOffset())
		if err := r.dec.Decode(&skip); err != nil {
			return &InputError{Index: r.n, Line: r.lr.lineOfError(r.dec.InputOffset(), err), Field: key, Msg: err.Error()}
		}
		// an option sent in the body (crs, say) would otherwise be
		// ignored without a word, and the points taken as WGS84
		return &InputError{Index: r.n, Line: line, Field: key, Err: ErrUnknownMember,
			Msg: fmt.Sprintf(`unknown member %q: a JSON batch holds only "points"; options (crs, layers, nearest, boundary) go in the query string, e.g. ?crs=gcj02`, key)}
	}
	r.found = true
	if err := r.expect('[', `an array of points`); err != nil {
		return err
	}
	r.state = jsonPoints
	return nil
}

// point reads one element of the points array.
func (r *jsonReader) point(p *point) error {
	r.raw = r.raw[:0]
	r.lr.mark(r.dec.InputOffset())
	if err := r.dec.Decode(&r.raw); err != nil {
		// the decoder stays at the start of the value it failed on
		return &InputError{Index: r.n, Line: r.lr.lineOfError(r.dec.InputOffset(), err), Msg: err.Error()}
	}
	if err := parsePoint(p, r.raw, r.n, 0); err != nil {
		// the line where the point starts
		if ie, ok := err.(*InputError); ok {
			ie.Line = r.lr.lineOfValue(r.dec.InputOffset() - int64(len(r.raw)))
		}
		return err
	}
	r.n++
	return nil
}

// end checks what follows the last member: the end of the object, then
// nothing; it returns io.EOF when all is well.
func (r *jsonReader) end() error {
	if !r.found {
		return &InputError{Index: 0, Field: "points", Msg: `body has no "points" array`}
	}
	if err := r.expect('}', "end of the object"); err != nil {
		return err
	}
	from := r.dec.InputOffset()
	r.lr.mark(from)
	t, err := r.dec.Token()
	if err == io.EOF {
		return io.EOF
	}
	msg := fmt.Sprintf("unexpected %v after the object", t)
	line := r.lr.lineOfValue(from)
	if err != nil {
		msg = "unexpected data after the object: " + err.Error()
		line = r.lr.lineOfError(from, err)
	}
	return &InputError{Index: r.n, Line: line, Msg: msg}
}

// expect reads the delimiter want, described as what in an error.
func (r *jsonReader) expect(want json.Delim, what string) error {
	from := r.dec.InputOffset()
	r.lr.mark(from)
	t, err := r.dec.Token()
	if err != nil {
		return &InputError{Index: r.n, Line: r.lr.lineOfError(from, err), Msg: fmt.Sprintf("want %s: %v", what, err)}
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return &InputError{Index: r.n, Line: r.lr.lineOfValue(from), Msg: fmt.Sprintf("want %s, got %v", what, t)}
	}
	return nil
}

// chainsAnswer is the answer of a point in JSON and NDJSON: its prefix, its
// chains, then suffix.
type chainsAnswer struct {
	e      *Encoder
	suffix string
}

func (c chainsAnswer) appendAnswer(b, prefix []byte, hits []index.Hit) []byte {
	b = append(b, prefix...)
	b = c.e.AppendChains(b, hits)
	return append(b, c.suffix...)
}

// jsonWriter writes the answer of a JSON batch:
// {"version":..,"results":[{"id":..,"chain":[..]},..]}, and after bad input
// an "error" member.
type jsonWriter struct{ chainsAnswer }

func (e *Encoder) newJSONWriter() *jsonWriter { return &jsonWriter{chainsAnswer{e, "}"}} }

func (w *jsonWriter) appendHead(b []byte) []byte {
	b = append(b, `{"version":`...)
	b = appendJSONString(b, w.e.version)
	return append(b, `,"results":[`...)
}

func (w *jsonWriter) appendPrefix(b []byte, p *point) []byte {
	if p.index > 0 {
		b = append(b, ',')
	}
	b = append(b, `{"id":`...)
	b = appendRawID(b, p.id)
	return append(b, ',')
}

func (w *jsonWriter) appendError(b []byte, err error) []byte {
	b = append(b, `],"error":`...)
	b = appendErrorJSON(b, err)
	return append(b, "}\n"...)
}

func (w *jsonWriter) appendEnd(b []byte) []byte { return append(b, "]}\n"...) }

// appendRawID appends an id as given, or null.
// Bytes that are not UTF-8 (a Latin-1 or GBK id) become U+FFFD, so that
// the answer stays the UTF-8 JSON its Content-Type says.
func appendRawID(b []byte, id string) []byte {
	if len(id) == 0 {
		return append(b, "null"...)
	}
	if !utf8.ValidString(id) {
		return append(b, strings.ToValidUTF8(id, "\uFFFD")...)
	}
	return append(b, id...)
}

// appendErrorJSON appends err as the JSON object of an error trailer:
// {"message":..}, with "index", "line" and "field" for an *InputError.
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
