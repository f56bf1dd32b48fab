package lookup

import (
	"io"
	"runtime"
	"unsafe"

	"github.com/gridmap/gridmap/geo/index"
)

// WriteChunk is how many bytes of a batch's answer Batch writes at a time,
// from a goroutine of its own: large writes keep the hand-overs to that
// goroutine and the write system calls few. Measured end to end
// (docs/performance.md): 1 MiB gave NDJSON 7 % and CSV 4 % more points per
// second than 256 KiB, and 512 KiB as much as 1 MiB with half the buffers
// (three per batch).
const WriteChunk = 512 << 10

// point is one point of a batch's input, as a pointReader yields it. Its
// text fields are views of the reader's buffers, valid until the next read.
type point struct {
	// id is the point's id as the format echoes it: raw JSON (a string, a
	// number or null; empty when absent) or a CSV field.
	id string
	// lonText and latText are the coordinates as written (CSV, which
	// echoes them).
	lonText, latText string
	// lon and lat are in degrees of the batch's coordinate system.
	lon, lat float64
	// index is the point's 0-based position in the batch, line the 1-based
	// line where it starts (0: not known).
	index, line int
}

// pointReader reads the points of a batch's input in one format.
type pointReader interface {
	// next reads the next point into p. It returns io.EOF after the last
	// point and an *InputError for bad input.
	next(p *point) error
	// mayWait reports whether the next read may wait on the client: then
	// the points queued are answered first.
	mayWait() bool
}

// answerWriter encodes a batch's answer in one format, each method
// appending to b and returning it.
type answerWriter interface {
	// appendHead appends what comes before the first answer.
	appendHead(b []byte) []byte
	// appendPrefix appends the start of p's answer, written before its
	// lookup (whose hits appendAnswer gets with that prefix).
	appendPrefix(b []byte, p *point) []byte
	// appendAnswer appends one point's answer: its prefix, then its hits.
	appendAnswer(b, prefix []byte, hits []index.Hit) []byte
	// appendError appends the trailer that ends an answer cut short by
	// err, telling its reader the answer is incomplete.
	appendError(b []byte, err error) []byte
	// appendEnd appends what follows the last answer.
	appendEnd(b []byte) []byte
}

// Batch reads points from r in format f, looks each up with the options o
// (nil: WGS84, all layers) and writes the answers to w as it goes, so that
// neither side is held in memory. On bad input it stops with an
// *InputError, after writing a trailer that tells a reader of w the answer
// is incomplete (JSON: an "error" member; NDJSON: an {"error":..} line; CSV:
// nothing more). Nothing reaches w before WriteChunk bytes of answer, a
// pause of the input or the end of the batch: until then a caller can still
// answer bad input with an error of its own (the server's 400).
func (e *Encoder) Batch(r io.Reader, w io.Writer, f Format, o *Options) (n int, err error) {
	defer runtime.KeepAlive(e) // the encoded elements are released with e
	aw := newAsyncWriter(w, WriteChunk, 3)
	defer func() {
		if ferr := aw.Close(); err == nil {
			err = ferr
		}
	}()
	ir := newIdleReader(r, batchIdle)
	defer ir.close()
	switch f {
	case NDJSON:
		return e.batch(newNDJSONReader(ir), e.newNDJSONWriter(), ir, aw, o)
	case CSV:
		in, err := newCSVReader(ir)
		if err != nil {
			return 0, err
		}
		return e.batch(in, e.newCSVWriter(o), ir, aw, csvOptions(o))
	}
	return e.batch(newJSONReader(ir), e.newJSONWriter(), ir, aw, o)
}

// batch is the loop of every format: it reads points from in and looks
// them up with the options o in blocks (see block), while out encodes their
// answers into w; a pause of the client's input (r) sends the answers so
// far. It returns the number of points answered.
func (e *Encoder) batch(in pointReader, out answerWriter, r *idleReader, w *asyncWriter, o *Options) (int, error) {
	blk := newBlock(e, o, func(prefix []byte, hits []index.Hit) error {
		b, err := w.tail() // encoded in place: no copy of each answer
		if err != nil {
			return err
		}
		return w.commit(out.appendAnswer(b, prefix, hits))
	})
	defer blk.stop()
	sendWhenIdle(r, blk, w)
	if err := w.appendWith(out.appendHead); err != nil {
		return 0, err
	}
	var p point
	for {
		// answer what is queued before a read that may wait for the client
		if blk.full() || in.mayWait() {
			if err := blk.submit(); err != nil {
				return blk.answered, err
			}
		}
		err := in.next(&p)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(blk, w, out, err)
		}
		if o != nil && o.MaxPoints > 0 && p.index >= o.MaxPoints {
			return fail(blk, w, out, &TooManyPointsError{Max: o.MaxPoints, Index: p.index, Line: p.line})
		}
		blk.cur.arena = out.appendPrefix(blk.cur.arena, &p)
		blk.add(p.lon, p.lat)
	}
	if err := blk.flush(); err != nil {
		return blk.answered, err
	}
	return blk.answered, w.appendWith(out.appendEnd)
}

// fail ends a batch on bad input, err: it answers the points read before
// it, then writes out's trailer.
func fail(blk *block, w *asyncWriter, out answerWriter, err error) (int, error) {
	if ferr := blk.flush(); ferr != nil {
		return blk.answered, ferr
	}
	// the caller is told of the input error; a write error after it
	// matters no more
	w.appendWith(func(b []byte) []byte { return out.appendError(b, err) })
	return blk.answered, err
}

// sendWhenIdle makes a pause of the client's input send the answers of
// every point read so far on to the reader of the answer.
func sendWhenIdle(r *idleReader, blk *block, w *asyncWriter) {
	r.onIdle = func() {
		// only once some point is answered: a client that pauses before
		// its first point (a slow network, Expect: 100-continue) keeps
		// the 400 for bad input
		if blk.flush() == nil && blk.answered > 0 {
			w.FlushThrough()
		}
	}
}

// view returns the bytes of b as a string without copying; the string is
// valid only while b is not overwritten.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
