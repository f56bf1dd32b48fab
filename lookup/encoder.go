// Package lookup turns point lookups into answers: the JSON of one lookup,
// and streamed batches in JSON, NDJSON and CSV. It is shared by the HTTP
// layer and the CLI and knows nothing of HTTP. Answers are written with
// append-style encoders, without reflection, and allocate nothing per point
// once warm.
package lookup

import (
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/internal/bigmem"
)

// Encoder writes the answers of one version. It is safe for concurrent use.
type Encoder struct {
	idx     *index.Index
	version string
	// ahead holds what is encoded ahead, once it is (see encodeAhead);
	// until then, and for a dataset too large to encode ahead, hits caches
	// each grid's chain element on first use.
	ahead atomic.Pointer[aheadArenas]
	hits  [][]hitCache
	// done is closed once nothing more will be encoded ahead.
	done chan struct{}
	// finestFirst lists layer positions finest first: the CSV columns.
	finestFirst []int
	// roots names the root layer of each branch (index.Hit.Branch).
	roots []string
}

// aheadArenas is what an encoder encodes ahead, in the background.
type aheadArenas struct {
	// frags holds, per layer, every grid's chain element encoded ahead,
	// without its closing brace, when the dataset has at most eagerGrids
	// grids.
	frags []fragArena
	// chains holds the finest grids' whole chains with no flag set, when
	// the dataset is small enough to encode ahead and has one layer tree.
	chains *chainArena
}

type hitCache struct {
	once sync.Once
	b    []byte
}

// fragArena is the chain elements of one layer's grids, one after another:
// grid i's is b[off[i]:off[i+1]]. One read of a small offset table and of
// contiguous bytes, instead of a cache entry and a separate allocation.
type fragArena struct {
	b   []byte
	off []uint32
}

// NewEncoder encodes every chain element ahead for a dataset of at most
// eagerGrids grids whose elements take at most eagerBytes (Jiangyin's 8,823
// grids take 2 MB, in a few milliseconds); a larger dataset, such as a
// province, encodes them on first use. With one layer tree, the finest
// grids' whole chains are also written ahead when they take at most
// eagerBytes (Jiangyin: 9 MB).
const (
	eagerGrids = 200_000
	eagerBytes = 64 << 20
)

// Options are the per-request choices of a lookup.
type Options struct {
	// CRS is the system of the input coordinates; they are converted to
	// WGS84 before the lookup.
	CRS crs.CRS
	// Query holds the layer filter, the nearest fallback and the boundary
	// tolerance.
	Query index.Query
	// MaxPoints caps the points of one batch (Batch); 0: no cap. The
	// point past it ends the batch with a *TooManyPointsError.
	MaxPoints int
}

// NewEncoder returns the encoder of the version named version, whose index
// is idx.
func NewEncoder(idx *index.Index, version string) *Encoder {
	return newEncoder(idx, version, eagerGrids, eagerBytes)
}

// newEncoder is NewEncoder with the limits of encoding ahead.
func newEncoder(idx *index.Index, version string, maxGrids, maxBytes int) *Encoder {
	d := idx.Dataset()
	e := &Encoder{idx: idx, version: version}
	total := 0
	for _, l := range d.Layers {
		total += len(l.Grids)
	}
	e.hits = make([][]hitCache, len(d.Layers))
	for i, l := range d.Layers {
		e.hits[i] = make([]hitCache, len(l.Grids))
	}
	e.done = make(chan struct{})
	if total <= maxGrids {
		go e.encodeAhead(maxBytes)
	} else {
		close(e.done)
	}
	// columns: each branch's layers from its finest to its root, each
	// layer once
	seen := make([]bool, len(d.Layers))
	for _, leaf := range d.Leaves() {
		e.roots = append(e.roots, d.Root(leaf.Name))
		for l := leaf; l != nil; l = d.Layer(l.Parent) {
			i := d.LayerIndex(l.Name)
			if seen[i] {
				break
			}
			seen[i] = true
			e.finestFirst = append(e.finestFirst, i)
		}
	}
	return e
}

// encodeAhead encodes every chain element, then the whole chains, and
// makes each the encoder's as it is done: a version is served at once,
// its first answers encoded on first use (Jiangyin's 0.27 s of encoding
// ahead was half of a start from the published files).
func (e *Encoder) encodeAhead(maxBytes int) {
	defer close(e.done)
	frags := e.encodeAll(maxBytes)
	if frags == nil {
		return
	}
	e.ahead.Store(&aheadArenas{frags: frags})
	if chains := e.encodeChains(frags, maxBytes); chains != nil {
		e.ahead.Store(&aheadArenas{frags: frags, chains: chains})
	}
}

// AheadDone returns a channel closed once the encoder has encoded ahead
// all it will (at once for a dataset too large to encode ahead): its
// answers are the same before, and allocate nothing per point after.
func (e *Encoder) AheadDone() <-chan struct{} { return e.done }

// Version returns the version id the encoder names in its answers.
func (e *Encoder) Version() string { return e.version }

// Index returns the index the encoder answers from.
func (e *Encoder) Index() *index.Index { return e.idx }

// AppendHit appends one chain element:
// {"layer":..,"code":..,"name":..,"level":..,"properties":{..},"boundary":..}
// with "nearest":true,"distance_m":.. for a nearest hit.
func (e *Encoder) AppendHit(b []byte, h index.Hit) []byte {
	if ah := e.ahead.Load(); ah != nil {
		a := &ah.frags[h.Layer]
		b = append(b, a.b[a.off[h.Grid]:a.off[h.Grid+1]]...)
	} else {
		c := &e.hits[h.Layer][h.Grid]
		c.once.Do(func() { c.b = e.encodeHit(nil, h) })
		b = append(b, c.b...)
	}
	if h.Boundary {
		b = append(b, `,"boundary":true`...)
	} else {
		b = append(b, `,"boundary":false`...)
	}
	if h.Nearest {
		b = append(b, `,"nearest":true,"distance_m":`...)
		b = strconv.AppendFloat(b, float64(h.DistanceM), 'f', 2, 32)
	}
	// the elements may live outside the Go heap, released with e: e must
	// stay reachable until they are read
	runtime.KeepAlive(e)
	return append(b, '}')
}

// encodeAll encodes every grid's chain element, or returns nil once they
// take more than maxBytes. The elements of all layers end up in one block
// outside the Go heap, on huge pages where the kernel allows it (see
// package bigmem): a lookup reads a few elements at random, and on 4 KiB
// pages each of those reads would also miss the TLB. The block is released
// with the encoder.
func (e *Encoder) encodeAll(maxBytes int) []fragArena {
	d := e.idx.Dataset()
	frags := make([]fragArena, len(d.Layers))
	size := 0
	for li, l := range d.Layers {
		a := &frags[li]
		a.off = make([]uint32, len(l.Grids)+1)
		for gi := range l.Grids {
			a.b = e.encodeHit(a.b, index.Hit{Layer: int32(li), Grid: int32(gi)})
			a.off[gi+1] = uint32(len(a.b))
			if size+len(a.b) > maxBytes {
				return nil
			}
		}
		size += len(a.b)
	}
	bufs := make([]*[]byte, len(frags))
	for li := range frags {
		bufs[li] = &frags[li].b
	}
	e.offHeap(bufs...)
	return frags
}

// offHeap moves the bytes of bufs into one block outside the Go heap, on
// huge pages where the kernel allows it (see package bigmem), and points
// each buffer at its copy. The block is released with e.
func (e *Encoder) offHeap(bufs ...*[]byte) {
	size := 0
	for _, b := range bufs {
		size += len(*b)
	}
	block, free := bigmem.Alloc[byte](size)
	bigmem.ReleaseWith(e, free)
	for _, b := range bufs {
		n := copy(block, *b)
		*b, block = block[:n:n], block[n:]
	}
}

// encodeHit appends the part of h's chain element that depends only on its
// grid: all but the flags and the closing brace.
func (e *Encoder) encodeHit(x []byte, h index.Hit) []byte {
	g := e.idx.Grid(h)
	x = append(x, `{"layer":`...)
	x = appendJSONString(x, e.idx.LayerName(h))
	x = append(x, `,"code":`...)
	x = appendJSONString(x, g.Code)
	x = append(x, `,"name":`...)
	x = appendJSONString(x, g.Name)
	x = append(x, `,"level":`...)
	x = appendJSONString(x, g.Level)
	x = append(x, `,"properties":`...)
	return appendJSONValue(x, g.Props)
}

// appendBranch appends the JSON array of the hits of one branch.
func (e *Encoder) appendBranch(b []byte, hits []index.Hit, branch int) []byte {
	b = append(b, '[')
	if ah := e.ahead.Load(); ah != nil && ah.chains != nil { // one branch
		if b, ok := ah.chains.appendWhole(b, hits); ok {
			runtime.KeepAlive(e) // the chains are released with e
			return append(b, ']')
		}
	}
	n := 0
	for _, h := range hits {
		if int(h.Branch) != branch {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		b = e.AppendHit(b, h)
		n++
	}
	return append(b, ']')
}

// AppendChains appends the answer members of hits: "chain" (the first
// branch: the finest layer of the main tree up to its root) and, when the
// data has several branches, "chains" with one entry per branch.
func (e *Encoder) AppendChains(b []byte, hits []index.Hit) []byte {
	b = append(b, `"chain":`...)
	b = e.appendBranch(b, hits, 0)
	if len(e.roots) > 1 {
		b = append(b, `,"chains":[`...)
		for i, root := range e.roots {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"root":`...)
			b = appendJSONString(b, root)
			b = append(b, `,"chain":`...)
			b = e.appendBranch(b, hits, i)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return b
}
