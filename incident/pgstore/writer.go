package pgstore

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/gridmap/gridmap/incident"
)

// Group commit: the writes that take Seqs one at a time (Create,
// CreateSeq, Apply) are queued to the store's writer goroutine, which
// takes every write waiting when a batch can start (without waiting to
// fill one) and runs them in ONE transaction (batch.go), each write in a
// savepoint of its own, takes the batch's Seqs under the seq lock at its
// end and commits once: one WAL flush for the batch instead of one a
// write. A write is answered after the COMMIT returned, never before.
// CreateMany and the Restore calls, which store many transitions a
// transaction already, keep their own transactions and take the same seq
// lock.
const (
	// maxBatch caps the writes of one transaction. Each write's savepoint
	// takes a subtransaction id; past 64 in one transaction PostgreSQL's
	// per-backend cache of them overflows and every other backend's
	// snapshot then looks them up in pg_subtrans while the batch is open.
	maxBatch = 64
	// maxBatchBytes caps the text a batch carries (its writes' sizes).
	maxBatchBytes = 1 << 20
	// inflight is how many batches run at once, on as many connections:
	// one does its writes while the one before waits for its COMMIT's WAL
	// flush. Their Seqs are taken in the order of their commits, under
	// the seq lock, as those of two processes.
	inflight = 2
	// batchTimeout bounds one batch's work on the database: a server that
	// stops answering fails the batch's writes instead of hanging them.
	batchTimeout = 30 * time.Second
)

// errClosed is the error of a write queued after Close.
var errClosed = errors.New("incident store closed")

// op is one queued write.
type op struct {
	ctx context.Context
	// fn runs the write in p, inside its savepoint; it must end with
	// p.done(). It may run more than once (the batch retried on a new
	// connection): it sets its results afresh.
	fn func(p *pipe) error
	// locks are the locks the write will take, taken for the whole batch
	// in one order before any write runs (batch.go: no deadlock between
	// the batches of two processes).
	locks locks
	// size is an estimate of the bytes the write sends.
	size int
	// answer gets the write's error (nil: committed), once.
	answer chan error
}

// writer queues ops and runs them in batches on its goroutine.
type writer struct {
	s      *Store
	mu     sync.Mutex
	queue  []*op
	closed bool
	wake   chan struct{} // buffered, one: something was queued or closed
	done   chan struct{} // closed when the goroutine ends
	// pause, when set (tests), is called before each batch is taken.
	pause func()
	// batches and writes count the batches run and the writes in them.
	batches, writes int
}

// newWriter starts the writer of s.
func newWriter(s *Store) *writer {
	w := &writer{s: s, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go w.run()
	return w
}

// do queues o and waits for its answer. Once the writer took it, o runs
// even if ctx ends meanwhile, and do waits: a write is never reported
// failed after it was committed.
func (w *writer) do(o *op) error {
	if err := o.ctx.Err(); err != nil {
		return err
	}
	o.answer = make(chan error, 1)
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return errClosed
	}
	w.queue = append(w.queue, o)
	w.mu.Unlock()
	w.signal()
	return <-o.answer
}

// signal wakes the goroutine.
func (w *writer) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// close lets the writes queued run and stops the goroutine.
func (w *writer) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.signal()
	<-w.done
}

// run takes batches until the writer is closed and its queue empty,
// running up to inflight of them at once.
func (w *writer) run() {
	defer close(w.done)
	var running sync.WaitGroup
	defer running.Wait()
	slots := make(chan struct{}, inflight)
	for {
		<-w.wake
		for {
			if w.pause != nil {
				w.pause()
			}
			slots <- struct{}{}
			batch, last := w.take()
			if len(batch) > 0 {
				running.Go(func() {
					defer func() { <-slots }()
					w.s.runBatch(batch)
				})
			} else {
				<-slots
			}
			if last {
				return
			}
			if len(batch) == 0 {
				break
			}
		}
	}
}

// take removes from the queue the writes of the next batch: those
// queued, up to maxBatch and maxBatchBytes (at least one). Writes whose
// context ended while queued are answered with its error. last reports
// that the writer is closed and nothing is left.
func (w *writer) take() (batch []*op, last bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, bytes := 0, 0
	for n < len(w.queue) && len(batch) < maxBatch {
		o := w.queue[n]
		if len(batch) > 0 && bytes+o.size > maxBatchBytes {
			break
		}
		n++
		if err := o.ctx.Err(); err != nil {
			o.answer <- err
			continue
		}
		batch, bytes = append(batch, o), bytes+o.size
	}
	w.queue = slices.Delete(w.queue, 0, n)
	if len(batch) > 0 {
		w.batches++
		w.writes += len(batch)
	}
	return batch, w.closed && len(w.queue) == 0
}

// size estimates the bytes inc's row and grids take to send.
func size(inc *incident.Incident) int {
	n := 256
	for _, v := range [...]string{inc.CRS, inc.Category, inc.Source, inc.ExternalRef, inc.Description,
		inc.Reporter.Name, inc.Reporter.Phone, inc.Version, inc.Assignee, inc.AssigneeGrid} {
		n += len(v)
	}
	for _, l := range inc.Chain {
		n += 64 + 2*len(l.Code) + 2*len(l.Layer) + len(l.Name) + len(l.Level)
	}
	return n
}
