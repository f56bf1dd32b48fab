package store

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"io"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// The layers file of format 1, written until issue 19 and still read, is a
// gob stream: a header, then per layer a layerRec
// followed by its grids. Geometry is kept as float64 (lon, lat) exactly as
// imported, so a reload answers lookups bit for bit like the import did.
//
// Compatibility: gob matches fields by name, leaves a field the stream
// lacks at its zero value and skips one the reader does not know, and it
// writes no zero field. So a field may be added to a record without a new
// format version when its zero value means what files without it meant:
// layerRec.Partial (issue 18) is false for every layer of an older file,
// a file without partial layers is written byte for byte as before, and
// an older build reads a newer file, its partial layers as plain ones.

// formatVersion is the format of gob layers files.
const formatVersion = 1

type header struct {
	Format int
	Layers int
}

type layerRec struct {
	Name  string
	Grids int
	// Partial is geo.Layer.Partial: the layer need not tile its parents.
	Partial bool
}

type gridRec struct {
	Code, Name, Level, Parent string
	Props                     []byte // JSON object
	Geom                      [][][][2]float64
}

// encodeDataset writes d as a layers file of the current format (2, flat:
// flat.go). The store's other implementations (store/pgstore) keep a
// version's layers in these same bytes.
func encodeDataset(w io.Writer, d *geo.Dataset) error { return encodeFlat(w, d) }

// errFormat is returned for a layers file of another format version.
var errFormat = errors.New("layers file format")

// minGridBytes is about the fewest bytes a real grid takes in a layers file
// (four points); it bounds what is allocated ahead from a count read
// in the file, never the count itself.
const minGridBytes = 32

// countingReader counts the bytes read through it.
type countingReader struct {
	r *bufio.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

// decodeDataset reads a layers file of size bytes, of either format: flat
// (2) or gob (1). On damaged input it returns an error, never panics, and
// allocates no more ahead than the bytes left can fill: every count read
// is bounded by them.
func decodeDataset(r io.Reader, size int64) (*geo.Dataset, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	if magic, _ := br.Peek(len(flatMagic)); string(magic) == flatMagic {
		return decodeFlat(br, size)
	}
	return decodeGob(br, size)
}

// decodeGob reads a layers file of format 1 (gob).
func decodeGob(br *bufio.Reader, size int64) (*geo.Dataset, error) {
	cr := &countingReader{r: br}
	dec := gob.NewDecoder(cr)
	var h header
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if h.Format != formatVersion {
		return nil, fmt.Errorf("%w %d, this build reads %d", errFormat, h.Format, formatVersion)
	}
	if h.Layers < 0 || h.Layers > 1<<16 || int64(h.Layers) > size-cr.n {
		return nil, fmt.Errorf("layers file: bad layer count %d", h.Layers)
	}
	layers := make([]*geo.Layer, 0, h.Layers)
	for i := 0; i < h.Layers; i++ {
		l, err := decodeLayer(dec, i, size-cr.n)
		if err != nil {
			return nil, err
		}
		layers = append(layers, l)
	}
	return geo.NewDataset(layers)
}

// decodeLayer reads layer i from dec, with left bytes left in the file.
func decodeLayer(dec *gob.Decoder, i int, left int64) (*geo.Layer, error) {
	var lr layerRec
	if err := dec.Decode(&lr); err != nil {
		return nil, fmt.Errorf("layer %d: %w", i, err)
	}
	if lr.Grids < 0 || int64(lr.Grids) > left {
		return nil, fmt.Errorf("layer %s: bad grid count %d", lr.Name, lr.Grids)
	}
	grids := make([]*geo.Grid, 0, min(int64(lr.Grids), left/minGridBytes))
	for j := 0; j < lr.Grids; j++ {
		var rec gridRec
		if err := dec.Decode(&rec); err != nil {
			return nil, fmt.Errorf("layer %s grid %d: %w", lr.Name, j, err)
		}
		g := &geo.Grid{Code: rec.Code, Name: rec.Name, Level: rec.Level, Parent: rec.Parent, Geom: fromRaw(rec.Geom)}
		if err := checkPositions(g.Geom); err != nil {
			return nil, fmt.Errorf("layer %s grid %s: %w", lr.Name, rec.Code, err)
		}
		var err error
		if g.Props, err = geo.DecodeProps(rec.Props); err != nil {
			return nil, fmt.Errorf("layer %s grid %s: properties: %w", lr.Name, rec.Code, err)
		}
		grids = append(grids, g)
	}
	l := geo.NewLayer(lr.Name, grids)
	l.Partial = lr.Partial
	return l, nil
}

// errPosition is returned for a position that is not a WGS84 lon/lat.
var errPosition = errors.New("position not a finite lon/lat in range (lon -180..180, lat -90..90)")

// checkPositions returns errPosition, with the first bad position, unless
// every position of mp is a finite WGS84 (lon, lat) in range: the rule of
// the importer. The point index cannot be built over others (NaN, ±Inf or
// 1e308 made geo.NewIndex panic in makeslice), so they are neither written
// nor read.
func checkPositions(mp orb.MultiPolygon) error {
	for _, p := range mp {
		for _, r := range p {
			for _, pt := range r {
				// written so that NaN fails every comparison
				if !(pt[0] >= -180 && pt[0] <= 180 && pt[1] >= -90 && pt[1] <= 90) {
					return fmt.Errorf("%w: [%g, %g]", errPosition, pt[0], pt[1])
				}
			}
		}
	}
	return nil
}

func fromRaw(raw [][][][2]float64) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(raw))
	for i, p := range raw {
		out[i] = make(orb.Polygon, len(p))
		for j, r := range p {
			ring := make(orb.Ring, len(r))
			for k, pt := range r {
				ring[k] = orb.Point(pt)
			}
			out[i][j] = ring
		}
	}
	return out
}

// EncodeDataset writes d to w in the store's layers encoding (the gob
// stream above), the bytes Dir keeps as layers.bin and store/pgstore keeps
// in the database, so that every store loads exactly what was published.
func EncodeDataset(w io.Writer, d *geo.Dataset) error { return encodeDataset(w, d) }

// DecodeDataset reads a dataset EncodeDataset wrote, size bytes long (the
// bound on what it allocates ahead). On damaged input it returns an error,
// never panics.
func DecodeDataset(r io.Reader, size int64) (*geo.Dataset, error) { return decodeDataset(r, size) }
