package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// maxBatch caps the writes of one group commit: enough to share one fsync
// between every writer of a burst, small enough that one commit stays
// short for the readers waiting on a checkpoint.
const maxBatch = 512

// writer owns the store's only write connection. Callers queue ops (do);
// its goroutine takes every op queued into one transaction (runBatch: one
// op's failure undoes only that op), commits, and then answers each op: an
// op's nil error means its writes are on disk.
type writer struct {
	conn *sql.Conn // the write connection, held for the writer's life
	ops  chan *op
	max  atomic.Int64 // ops of a batch at most: maxBatch (1 in the baseline benchmark)
	mu   sync.RWMutex // held for reading while queueing, for writing by close
	shut bool
	done chan struct{}
	// stmts are prepared once on conn and kept across transactions
	// (BEGIN and COMMIT are statements of their own, so that database/sql
	// does not tie them to one transaction); only the goroutine uses it.
	stmts map[string]*sql.Stmt
	// multi caches the multi-row statements of rows; only the
	// goroutine uses it.
	multi map[multiKey]string
}

// multiKey names a multi-row statement: its head, one row, the rows.
type multiKey struct {
	head, row string
	n         int
}

// rows returns head followed by n copies of row, comma-separated.
func (w *writer) rows(head, row string, n int) string {
	k := multiKey{head, row, n}
	if q, ok := w.multi[k]; ok {
		return q
	}
	q := head + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
	w.multi[k] = q
	return q
}

// op is one queued write: fn runs inside the batch's transaction.
type op struct {
	fn  func(*wtx) error
	err chan error
}

// newWriter starts the writer goroutine on a connection of db.
func newWriter(db *sql.DB) (*writer, error) {
	conn, err := db.Conn(context.Background())
	if err != nil {
		return nil, fmt.Errorf("write connection: %w", err)
	}
	w := &writer{conn: conn, ops: make(chan *op, maxBatch), done: make(chan struct{}),
		stmts: map[string]*sql.Stmt{}, multi: map[multiKey]string{}}
	w.max.Store(maxBatch)
	go w.run()
	return w, nil
}

// do queues fn and waits until its transaction is committed (nil) or fn or
// the commit failed. Once queued, fn runs even if ctx ends meanwhile: a
// write is never reported failed after it was committed.
func (w *writer) do(ctx context.Context, fn func(*wtx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o := &op{fn: fn, err: make(chan error, 1)}
	w.mu.RLock()
	if w.shut {
		w.mu.RUnlock()
		return ErrClosed
	}
	w.ops <- o
	w.mu.RUnlock()
	return <-o.err
}

// close lets the ops already queued finish and stops the goroutine.
func (w *writer) close() {
	w.mu.Lock()
	if !w.shut {
		w.shut = true
		close(w.ops)
	}
	w.mu.Unlock()
	<-w.done
}

// run commits batches until the queue is closed and drained.
func (w *writer) run() {
	defer close(w.done)
	defer w.release()
	batch := make([]*op, 0, maxBatch)
	for o := range w.ops {
		batch = append(batch[:0], o)
	fill:
		for int64(len(batch)) < w.max.Load() {
			select {
			case o, ok := <-w.ops:
				if !ok {
					break fill
				}
				batch = append(batch, o)
			default:
				break fill
			}
		}
		w.commit(batch)
	}
}

// commit runs batch in one transaction and answers each op.
func (w *writer) commit(batch []*op) {
	errs := make([]error, len(batch))
	err := w.runBatch(batch, errs)
	for i, o := range batch {
		if err != nil && errs[i] == nil {
			errs[i] = err
		}
		o.err <- errs[i]
	}
}

// runBatch runs the ops of batch in one transaction, each op's error in
// errs, and returns the error of the transaction itself. It first runs
// them all without savepoints (a savepoint journals every page an op
// touches: 14 % of the server's CPU at 2,000 reports a second); only when
// an op fails is that undone and the batch run again with each op in its
// own savepoint, so that the failed op alone is undone. Ops are written
// to be run again (each sets its results afresh).
func (w *writer) runBatch(batch []*op, errs []error) error {
	if len(batch) > 1 {
		failed, err := w.runWhole(batch)
		if !failed {
			return err
		}
	}
	t := &wtx{ctx: context.Background(), w: w}
	if _, err := t.exec("BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	single := len(batch) == 1
	for i, o := range batch {
		if single {
			if errs[i] = o.fn(t); errs[i] != nil {
				return t.rollback(nil)
			}
			continue
		}
		if errs[i] = t.savepoint(o.fn); errs[i] != nil && !isOpErr(errs[i]) {
			return t.rollback(errs[i])
		}
	}
	if _, err := t.exec("COMMIT"); err != nil {
		return t.rollback(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// runWhole runs every op of batch in one transaction without savepoints
// and commits. failed reports that an op failed and the transaction was
// undone (the batch is to be run again); err is the transaction's own.
func (w *writer) runWhole(batch []*op) (failed bool, err error) {
	t := &wtx{ctx: context.Background(), w: w}
	if _, err := t.exec("BEGIN IMMEDIATE"); err != nil {
		return false, fmt.Errorf("begin write: %w", err)
	}
	for _, o := range batch {
		if err := o.fn(t); err != nil {
			if rerr := t.rollback(nil); rerr != nil {
				return false, rerr
			}
			return true, nil
		}
	}
	if _, err := t.exec("COMMIT"); err != nil {
		return false, t.rollback(fmt.Errorf("commit: %w", err))
	}
	return false, nil
}

// release closes the statements and the connection.
func (w *writer) release() {
	for _, s := range w.stmts {
		s.Close()
	}
	w.conn.Close()
}

// savepointErr is a failure of the savepoint machinery itself: the
// transaction is no longer usable.
type savepointErr struct{ err error }

func (e savepointErr) Error() string { return "savepoint: " + e.err.Error() }
func (e savepointErr) Unwrap() error { return e.err }

// isOpErr reports whether err is the op's own (its savepoint undone,
// the batch goes on) rather than the transaction's.
func isOpErr(err error) bool {
	_, sp := err.(savepointErr)
	return !sp
}

// wtx is the writer's transaction as the ops see it.
type wtx struct {
	ctx context.Context
	w   *writer
}

// rollback undoes the transaction and returns err, or the rollback's
// error when it failed and err is nil.
func (t *wtx) rollback(err error) error {
	if _, rerr := t.exec("ROLLBACK"); rerr != nil && err == nil {
		return fmt.Errorf("rollback: %w", rerr)
	}
	return err
}

// savepoint runs fn inside a savepoint, undone when fn fails.
func (t *wtx) savepoint(fn func(*wtx) error) error {
	if _, err := t.exec("SAVEPOINT op"); err != nil {
		return savepointErr{err}
	}
	if err := fn(t); err != nil {
		if _, rerr := t.exec("ROLLBACK TO op"); rerr != nil {
			return savepointErr{rerr}
		}
		if _, rerr := t.exec("RELEASE op"); rerr != nil {
			return savepointErr{rerr}
		}
		return err
	}
	if _, err := t.exec("RELEASE op"); err != nil {
		return savepointErr{err}
	}
	return nil
}

// stmt returns query prepared on the write connection, once.
func (t *wtx) stmt(query string) (*sql.Stmt, error) {
	if s, ok := t.w.stmts[query]; ok {
		return s, nil
	}
	s, err := t.w.conn.PrepareContext(t.ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	t.w.stmts[query] = s
	return s, nil
}

// exec runs a statement in the transaction.
func (t *wtx) exec(query string, args ...any) (sql.Result, error) {
	s, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(t.ctx, args...)
}

// query runs a query in the transaction.
func (t *wtx) query(query string, args ...any) (*sql.Rows, error) {
	s, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(t.ctx, args...)
}

// queryRow runs a query of one row in the transaction.
func (t *wtx) queryRow(query string, args ...any) (*sql.Row, error) {
	s, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.QueryRowContext(t.ctx, args...), nil
}
