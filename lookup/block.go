package lookup

import (
	"io"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// blockSize is how many points of a batch are looked up together, by
// geo.AppendQueryMany: on an index larger than the processor's cache that
// overlaps the memory reads of many points. It bounds what a batch holds at
// once (points, their echoed prefixes and hits).
const blockSize = 256

// block collects the parsed points of a batch until they are looked up
// together. For each point it keeps the point (WGS84, converted from the
// request's system) and the start of its answer, already encoded by the
// format (its id and whatever precedes the chain), which the format's emit
// function completes.
type block struct {
	e    *Encoder
	o    *Options
	q    *geo.Query
	emit func(prefix []byte, hits []geo.Hit) error
	// answered counts the points emitted so far.
	answered int
	pts      []orb.Point
	pre      []int // end of each point's prefix in arena
	arena    []byte
	ends     []int
	hits     []geo.Hit
}

// newBlock returns an empty block whose points are answered by emit, with
// the answer's start (the prefix queued with the point) and its hits.
func newBlock(e *Encoder, o *Options, emit func(prefix []byte, hits []geo.Hit) error) *block {
	k := &block{e: e, o: o, emit: emit, pts: make([]orb.Point, 0, blockSize), ends: make([]int, blockSize)}
	if o != nil {
		k.q = &o.Query
	}
	return k
}

// add queues the point (lon, lat), in the system of the options; its answer
// prefix must have been appended to k.arena before.
func (k *block) add(lon, lat float64) {
	p := orb.Point{lon, lat}
	if k.o != nil && !k.o.CRS.IsWGS84() {
		p = k.o.CRS.ToWGS84(p)
	}
	k.pts = append(k.pts, p)
	k.pre = append(k.pre, len(k.arena))
}

func (k *block) full() bool { return len(k.pts) >= blockSize }

// flush looks up the queued points and emits each in order, then empties
// the block. It stops at the first error of emit; answered counts the
// points emitted.
func (k *block) flush() error {
	if len(k.pts) == 0 {
		return nil
	}
	k.hits = k.e.idx.AppendQueryMany(k.hits[:0], k.ends, k.pts, k.q)
	from, start := 0, 0
	var err error
	for i := range k.pts {
		if err = k.emit(k.arena[start:k.pre[i]], k.hits[from:k.ends[i]]); err != nil {
			break
		}
		from, start = k.ends[i], k.pre[i]
		k.answered++
	}
	k.pts, k.pre, k.arena = k.pts[:0], k.pre[:0], k.arena[:0]
	return err
}

// chainsEmitter returns the emit function of the JSON and NDJSON answers:
// the point's prefix, its chains, then suffix.
func (e *Encoder) chainsEmitter(w io.Writer, suffix string) func([]byte, []geo.Hit) error {
	var b []byte
	return func(pre []byte, hits []geo.Hit) error {
		b = append(b[:0], pre...)
		b = e.AppendChains(b, hits)
		b = append(b, suffix...)
		_, err := w.Write(b)
		return err
	}
}
