package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// rollbackTimeout bounds the ROLLBACK of a failed write.
const rollbackTimeout = 5 * time.Second

// pipe is a write transaction on one pooled connection whose statements
// go to the server in as few round trips as its logic allows: they queue
// on b until a result is needed (send); BEGIN goes with the first send
// and COMMIT with the last (commit). The seq lock, queued just before the
// commit, is thus held for the server's own work and the commit only,
// never for a round trip of the client: the writes of every replica
// queue on it.
type pipe struct {
	ctx  context.Context
	conn *pgxpool.Conn
	b    *pgx.Batch
	// sends counts the sends; failed is the one that failed (0: none),
	// committing whether that one carried the COMMIT.
	sends, failed int
	committing    bool
}

// send sends the statements queued and runs their callbacks; the first
// error (a failed statement aborts the transaction) is returned.
func (p *pipe) send() error {
	b := p.b
	p.b = &pgx.Batch{}
	p.sends++
	if err := p.conn.SendBatch(p.ctx, b).Close(); err != nil {
		p.failed = p.sends
		return err
	}
	return nil
}

// commit sends the statements queued and COMMIT.
func (p *pipe) commit() error {
	p.b.Queue("COMMIT")
	p.committing = true
	return p.send()
}

// retryable reports whether the write may run again after err: its
// first send found the connection dead (the database restarted since it
// was made), so nothing it sent was done.
func (p *pipe) retryable(err error) bool {
	return p.failed == 1 && !p.committing && unreachable(err)
}

// write runs fn, which must end with p.commit(), in a pipe; a write that
// fails is rolled back. When the pooled connection it took turns out dead
// (as do the others then: the pool is emptied) it runs fn once more on a
// new one; fn must set its results afresh. Errors of an unreachable
// database wrap incident.ErrUnavailable.
func (s *Store) write(ctx context.Context, fn func(p *pipe) error) error {
	for attempt := 0; ; attempt++ {
		conn, err := s.pool.Acquire(ctx)
		if err != nil {
			return wrap(err)
		}
		p := &pipe{ctx: ctx, conn: conn, b: &pgx.Batch{}}
		p.b.Queue("BEGIN")
		err = fn(p)
		if err != nil && conn.Conn().PgConn().TxStatus() != 'I' && !conn.Conn().IsClosed() {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
			conn.Exec(rctx, "ROLLBACK")
			cancel()
		}
		conn.Release()
		if err != nil && attempt == 0 && p.retryable(err) {
			s.pool.Reset()
			continue
		}
		return wrap(err)
	}
}
