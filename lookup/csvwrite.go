package lookup

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
)

// csvWriter writes the answer of a CSV batch: a header id,lon,lat and the
// layer names, finest first, then per point its id, lon and lat as given
// and the code of its grid in each layer (empty when none: a point between
// the buildings of a partial layer has an empty building column). With the
// nearest fallback a last column, distance_m, gives the distance in metres
// to the nearest grid named in place of a covering one (Hit.Nearest), empty
// when the codes cover the point. Bad input adds nothing: the answer just
// ends.
type csvWriter struct {
	d      *geo.Dataset
	header []string
	// col maps a layer position to its column among the codes, or -1
	col   []int
	codes []string
	// near is true when the answer has the distance_m column
	near bool
}

func (e *Encoder) newCSVWriter(o *Options) *csvWriter {
	d := e.idx.Dataset()
	layers := e.csvLayers(o)
	w := &csvWriter{d: d, header: e.CSVHeader(o), col: make([]int, len(d.Layers)), codes: make([]string, len(layers)),
		near: o != nil && o.Query.NearestM > 0}
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

func (w *csvWriter) appendAnswer(b, prefix []byte, hits []index.Hit) []byte {
	// locals, as a closure would hold them: the stores into codes do not
	// make the compiler load w's fields again
	codes, col, layers := w.codes, w.col, w.d.Layers
	clear(codes)
	dist := float32(-1)
	for _, h := range hits {
		if c := col[h.Layer]; c >= 0 && codes[c] == "" {
			codes[c] = layers[h.Layer].Grids[h.Grid].Code
		}
		if h.Nearest && dist < 0 {
			dist = h.DistanceM
		}
	}
	b = append(b, prefix...)
	for _, c := range codes {
		b = append(b, ',')
		b = appendCSVField(b, c)
	}
	if w.near {
		b = append(b, ',')
		if dist >= 0 {
			b = strconv.AppendFloat(b, float64(dist), 'f', 2, 32)
		}
	}
	return append(b, '\n')
}

func (w *csvWriter) appendError(b []byte, _ error) []byte { return b }

func (w *csvWriter) appendEnd(b []byte) []byte { return b }

// CSVHeader returns the header of CSV answers under the options o: id,lon,lat
// and the layer names, finest first, and distance_m when o asks for the
// nearest fallback.
func (e *Encoder) CSVHeader(o *Options) []string {
	h := []string{"id", "lon", "lat"}
	d := e.idx.Dataset()
	for _, li := range e.csvLayers(o) {
		h = append(h, d.Layers[li].Name)
	}
	if o != nil && o.Query.NearestM > 0 {
		h = append(h, "distance_m")
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
