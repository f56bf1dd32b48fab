// Package geojsonout streams GeoJSON FeatureCollections (RFC 7946): one
// feature at a time into a buffered writer, so a collection of any size is
// written in constant memory. It is the one GeoJSON writer of gridmap: the
// export of a version, the synthetic province and the importer's problem
// places all go through it.
//
// The layout is fixed: the collection's opening line, then one feature per
// line, then "]}" on a line of its own:
//
//	{"type":"FeatureCollection","features":[
//	{"type":"Feature","id":"…","properties":{…},"geometry":{…}},
//	{"type":"Feature",…}
//	]}
//
// Coordinates are written as given, (lon, lat) in whatever system the caller
// holds (gridmap's are WGS84/CGCS2000 degrees), with the Writer's precision.
package geojsonout

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/paulmach/orb"
)

// bufSize is the Writer's buffer: 1 MiB, the size export and synth used
// before they shared this writer.
const bufSize = 1 << 20

// Feature is one GeoJSON Feature to write.
type Feature struct {
	// ID, when not empty, is written as the feature's "id", a string.
	ID string
	// Properties are written with encoding/json (keys sorted) unless
	// RawProperties is set; a nil map is written as null.
	Properties map[string]any
	// RawProperties, when not nil, is written as the properties as it is:
	// it must be one JSON object.
	RawProperties []byte
	// Geometry is an orb.Point, MultiPoint, LineString, MultiLineString,
	// Polygon or MultiPolygon, or nil (written as null). A Polygon is
	// written as a Polygon and a MultiPolygon as a MultiPolygon, whatever
	// the number of its polygons.
	Geometry orb.Geometry
}

// Writer writes one FeatureCollection. It is not safe for concurrent use.
// The first error is kept: every later call returns it.
type Writer struct {
	bw   *bufio.Writer
	prec int
	n    int
	buf  []byte
	err  error
}

// NewWriter starts a FeatureCollection on w. Coordinates are written with
// precision decimals, trailing zeros dropped (7 decimals is about 1 cm in
// degrees), or, with Shortest, with the fewest digits that read back as the
// same float64.
func NewWriter(w io.Writer, precision int) *Writer {
	bw := bufio.NewWriterSize(w, bufSize)
	bw.WriteString(`{"type":"FeatureCollection","features":[` + "\n") // an error stays in bw
	return &Writer{bw: bw, prec: precision, buf: make([]byte, 0, 1<<16)}
}

// Write writes f as the next feature of the collection.
func (w *Writer) Write(f *Feature) error {
	if w.err != nil {
		return w.err
	}
	b := w.buf[:0]
	if w.n > 0 {
		b = append(b, ",\n"...)
	}
	b, err := appendFeature(b, f, w.prec)
	if err != nil {
		w.err = fmt.Errorf("geojson feature %d: %w", w.n+1, err)
		return w.err
	}
	w.buf = b
	if _, err := w.bw.Write(b); err != nil {
		w.err = err
		return err
	}
	w.n++
	return nil
}

// Count returns the number of features written.
func (w *Writer) Count() int { return w.n }

// Close ends the collection and flushes it to the underlying writer, which
// it does not close.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	w.bw.WriteString("\n]}\n")
	if err := w.bw.Flush(); err != nil {
		w.err = err
		return err
	}
	w.err = errClosed
	return nil
}

var errClosed = fmt.Errorf("geojson: writer closed")

// appendFeature appends f as one GeoJSON Feature.
func appendFeature(b []byte, f *Feature, prec int) ([]byte, error) {
	b = append(b, `{"type":"Feature",`...)
	if f.ID != "" {
		b = append(b, `"id":`...)
		b = appendString(b, f.ID)
		b = append(b, ',')
	}
	b = append(b, `"properties":`...)
	if f.RawProperties != nil {
		b = append(b, f.RawProperties...)
	} else {
		props, err := json.Marshal(f.Properties)
		if err != nil {
			return b, fmt.Errorf("properties: %w", err)
		}
		b = append(b, props...)
	}
	b = append(b, `,"geometry":`...)
	b, err := appendGeometry(b, f.Geometry, prec)
	if err != nil {
		return b, err
	}
	return append(b, '}'), nil
}

// appendString appends s as a JSON string, escaped as encoding/json does.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
