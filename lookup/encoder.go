// Package lookup turns point lookups into answers: the JSON of one lookup,
// and streamed batches in JSON, NDJSON and CSV. It is shared by the HTTP
// layer and the CLI and knows nothing of HTTP. Answers are written with
// append-style encoders, without reflection, and allocate nothing per point
// once warm.
package lookup

import (
	"sync"

	"github.com/gridmap/gridmap/geo"
)

// Encoder writes the answers of one version. It is safe for concurrent use.
type Encoder struct {
	idx     *geo.Index
	version string
	// hits caches, per layer and grid, the encoded chain element.
	hits [][]hitCache
	// finestFirst lists layer positions finest first: the CSV columns.
	finestFirst []int
}

type hitCache struct {
	once sync.Once
	b    []byte
}

// NewEncoder returns the encoder of the version named version, whose index
// is idx.
func NewEncoder(idx *geo.Index, version string) *Encoder {
	d := idx.Dataset()
	e := &Encoder{idx: idx, version: version, hits: make([][]hitCache, len(d.Layers))}
	for i, l := range d.Layers {
		e.hits[i] = make([]hitCache, len(l.Grids))
	}
	for i := len(d.Layers) - 1; i >= 0; i-- {
		e.finestFirst = append(e.finestFirst, i)
	}
	return e
}

// Version returns the version id the encoder names in its answers.
func (e *Encoder) Version() string { return e.version }

// Index returns the index the encoder answers from.
func (e *Encoder) Index() *geo.Index { return e.idx }

// AppendHit appends one chain element:
// {"layer":..,"code":..,"name":..,"level":..,"properties":{..}}.
func (e *Encoder) AppendHit(b []byte, h geo.Hit) []byte {
	c := &e.hits[h.Layer][h.Grid]
	c.once.Do(func() {
		g := e.idx.Grid(h)
		var x []byte
		x = append(x, `{"layer":`...)
		x = appendJSONString(x, e.idx.LayerName(h))
		x = append(x, `,"code":`...)
		x = appendJSONString(x, g.Code)
		x = append(x, `,"name":`...)
		x = appendJSONString(x, g.Name)
		x = append(x, `,"level":`...)
		x = appendJSONString(x, g.Level)
		x = append(x, `,"properties":`...)
		x = appendJSONValue(x, g.Props)
		x = append(x, '}')
		c.b = x
	})
	return append(b, c.b...)
}

// AppendChain appends the JSON array of a chain.
func (e *Encoder) AppendChain(b []byte, hits []geo.Hit) []byte {
	b = append(b, '[')
	for i, h := range hits {
		if i > 0 {
			b = append(b, ',')
		}
		b = e.AppendHit(b, h)
	}
	return append(b, ']')
}

// AppendLookup looks up (lon, lat), WGS84, and appends the answer of a single
// lookup: {"lon":..,"lat":..,"version":..,"chain":[..]}. scratch is reused
// for the hits and returned for the next call.
func (e *Encoder) AppendLookup(b []byte, scratch []geo.Hit, lon, lat float64) ([]byte, []geo.Hit) {
	scratch = e.idx.AppendChains(scratch[:0], lon, lat)
	b = append(b, `{"lon":`...)
	b = appendFloat(b, lon)
	b = append(b, `,"lat":`...)
	b = appendFloat(b, lat)
	b = append(b, `,"version":`...)
	b = appendJSONString(b, e.version)
	b = append(b, `,"chain":`...)
	b = e.AppendChain(b, scratch)
	b = append(b, '}')
	return b, scratch
}
