package lookup

import (
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
	e     *Encoder
	o     *Options
	q     *geo.Query
	pts   []orb.Point
	pre   []int // end of each point's prefix in arena
	arena []byte
	ends  []int
	hits  []geo.Hit
}

func newBlock(e *Encoder, o *Options) *block {
	k := &block{e: e, o: o, pts: make([]orb.Point, 0, blockSize), ends: make([]int, blockSize)}
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

// run looks up the queued points and calls emit for each in order, with its
// prefix and hits, then empties the block. It stops at the first error of
// emit and returns how many points were emitted.
func (k *block) run(emit func(prefix []byte, hits []geo.Hit) error) (int, error) {
	if len(k.pts) == 0 {
		return 0, nil
	}
	k.hits = k.e.idx.AppendQueryMany(k.hits[:0], k.ends, k.pts, k.q)
	from, start := 0, 0
	n := 0
	var err error
	for i := range k.pts {
		if err = emit(k.arena[start:k.pre[i]], k.hits[from:k.ends[i]]); err != nil {
			break
		}
		from, start = k.ends[i], k.pre[i]
		n++
	}
	k.pts, k.pre, k.arena = k.pts[:0], k.pre[:0], k.arena[:0]
	return n, err
}
