package lookup

import (
	"fmt"

	"github.com/gridmap/gridmap/geo/index"
	"github.com/paulmach/orb"
)

// blockSize is how many points of a batch are looked up together, by
// geo.AppendQueryMany: on an index larger than the processor's cache that
// overlaps the memory reads of many points. It bounds what a batch holds at
// once (points, their echoed prefixes and hits: about 0.6 MB per block).
// Large blocks keep the hand-over between the reading goroutine and the
// answering one rare: in BenchmarkBatch at GOMAXPROCS=2, 1,024 points rather
// than 256 gave NDJSON 1.5 M points/s against 1.0 M, and end to end (two
// servers alternated, 1 M points) 4,096 rather than 1,024 gave NDJSON 5.6 %
// and CSV 24 % more (docs/performance.md).
const blockSize = 4096

// blockBufs is how many blocks a batch has: the reader fills one while a
// second goroutine looks up and answers another, and a third absorbs the
// difference in their pace.
const blockBufs = 3

// block runs the lookups of a batch in blocks of points, on a goroutine of
// its own, so that reading and parsing the input (on the caller's
// goroutine) overlaps looking up and writing the answers: a batch uses two
// cores. Points are answered in the order they were added.
//
// For each point the current buffer keeps the point (WGS84, converted from
// the request's system) and the start of its answer, already encoded by the
// format (its id and whatever precedes the chain), which the emit function
// completes (see answerWriter).
type block struct {
	e    *Encoder
	o    *Options
	q    *index.Query
	emit func(prefix []byte, hits []index.Hit) error
	// answered counts the points emitted; it is up to date after flush.
	answered int
	// cur is the buffer being filled; its arena takes the prefixes.
	cur *blockBuf
	// bufs carries filled buffers to the goroutine that answers them.
	bufs *relay[*blockBuf]
	// err is the first error of emit; no block is emitted after it.
	err error
}

// blockBuf is one block of points and, once looked up, their hits.
type blockBuf struct {
	pts   []orb.Point
	pre   []int // end of each point's prefix in arena
	arena []byte
	ends  []int
	hits  []index.Hit
	// set by the worker: points emitted and emit's error
	emitted int
	err     error
}

// newBlock returns an empty block whose points are answered by emit, with
// the answer's start (the prefix queued with the point) and its hits. emit
// runs on the block's goroutine, never on two at once. stop must be called
// when the batch ends.
func newBlock(e *Encoder, o *Options, emit func(prefix []byte, hits []index.Hit) error) *block {
	k := &block{e: e, o: o, emit: emit}
	if o != nil {
		k.q = &o.Query
	}
	bufs := make([]*blockBuf, blockBufs)
	for i := range bufs {
		bufs[i] = &blockBuf{pts: make([]orb.Point, 0, blockSize), ends: make([]int, blockSize)}
	}
	failed := false // the goroutine's own: no block is answered after an error
	k.bufs = newRelay(bufs, func(b *blockBuf) {
		if !failed {
			b.err = k.answer(b)
			failed = b.err != nil
		}
		b.reset()
	}, func(b *blockBuf) {
		k.answered += b.emitted
		if k.err == nil {
			k.err = b.err
		}
		b.emitted, b.err = 0, nil
	})
	k.cur = k.bufs.take()
	return k
}

// answer looks up the points of b and emits each in order; it stops at the
// first error of emit.
func (k *block) answer(b *blockBuf) (err error) {
	defer func() {
		// a bug in a lookup must end the batch with an error, not the
		// process (this goroutine is not the request's)
		if r := recover(); r != nil {
			err = fmt.Errorf("lookup: internal error: %v", r)
		}
	}()
	b.hits = k.e.idx.AppendQueryMany(b.hits[:0], b.ends, b.pts, k.q)
	from, start := 0, 0
	for i := range b.pts {
		if err := k.emit(b.arena[start:b.pre[i]], b.hits[from:b.ends[i]]); err != nil {
			return err
		}
		from, start = b.ends[i], b.pre[i]
		b.emitted++
	}
	return nil
}

func (b *blockBuf) reset() {
	b.pts, b.pre, b.arena = b.pts[:0], b.pre[:0], b.arena[:0]
}

// add queues the point (lon, lat), in the system of the options; its answer
// prefix must have been appended to k.cur.arena before.
func (k *block) add(lon, lat float64) {
	p := orb.Point{lon, lat}
	if k.o != nil && !k.o.CRS.IsWGS84() {
		p = k.o.CRS.ToWGS84(p)
	}
	b := k.cur
	b.pts = append(b.pts, p)
	b.pre = append(b.pre, len(b.arena))
}

func (k *block) full() bool { return len(k.cur.pts) >= blockSize }

// submit hands the queued points to the block's goroutine and returns at
// once unless every buffer is in use, then waits for one. It returns the
// first error of emit seen so far, once every block sent is back (answered
// is then up to date): the caller stops on it.
func (k *block) submit() error {
	if len(k.cur.pts) > 0 && k.err == nil {
		k.bufs.send(k.cur)
		k.cur = k.bufs.take()
	}
	if k.err != nil {
		k.bufs.drain()
	}
	return k.err
}

// flush answers every queued point and waits until they are emitted; then
// answered is up to date and the caller may write to the answer itself.
func (k *block) flush() error {
	k.submit()
	k.bufs.drain()
	return k.err
}

// stop ends the block's goroutine after the submitted points are answered.
func (k *block) stop() { k.bufs.stop() }
