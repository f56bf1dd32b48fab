package pgstore

import (
	"context"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// rollbackTimeout bounds the ROLLBACK of a failed batch.
const rollbackTimeout = 5 * time.Second

// pipe is the writer's transaction on one pooled connection, as the
// writes of a batch see it: statements queue on b until a result is
// needed (send), so that the writes go to the server in as few round
// trips as their logic allows. A write's SAVEPOINT goes with its first
// statements; its last ones and its RELEASE (done) go with the first send
// after it, with those of the writes after it: a write that needs no
// result before its end (a new incident without a reference) costs no
// round trip of its own. Transitions are not stored by the writes
// themselves: step keeps them for the batch's end (batch.go), where they
// take their Seqs under the seq lock just before the COMMIT, so that the
// lock is held for the server's own work and the commit only, never for a
// round trip of the client: the batches of every replica queue on it.
type pipe struct {
	ctx  context.Context
	conn *pgxpool.Conn
	b    *pgx.Batch
	// sends counts the sends.
	sends int
	// steps are the transitions of the batch's writes so far, in order;
	// their Seqs are set once committed.
	steps []*incident.Transition
	// cur is the write running; open are the writes ended whose RELEASE
	// is queued, not sent yet; failed is the one of them whose statements
	// failed at the last send (those after it were not run).
	cur          *tail
	open         []*tail
	failed       *tail
	failedReason error
}

// tail is the state of one write of a batch.
type tail struct {
	i     int // its index in the batch
	mark  int // len(steps) before it
	sends int // sends before it
	// released is set when its RELEASE ran: all it did stands.
	released bool
}

// send sends the statements queued and runs their callbacks; the first
// error (a failed statement aborts the transaction, or the write's
// savepoint) is returned. When the statements of an ended write failed,
// that write is recorded in failed.
func (p *pipe) send() error {
	b := p.b
	p.b = &pgx.Batch{}
	p.sends++
	err := p.conn.SendBatch(p.ctx, b).Close()
	if err != nil {
		for _, t := range p.open {
			if !t.released {
				p.failed, p.failedReason = t, err
				break
			}
		}
	}
	p.open = p.open[:0]
	return err
}

// done queues the RELEASE of the write's savepoint after its last
// statements, which go to the server with the next send, and ends the
// write: it is the last call of every write, and callbacks of those
// statements may set its results.
func (p *pipe) done() error {
	t := p.cur
	p.b.Queue("RELEASE SAVEPOINT w").Exec(func(pgconn.CommandTag) error {
		t.released = true
		return nil
	})
	p.open = append(p.open, t)
	return nil
}

// step keeps t, a transition of the write, to be stored at the batch's
// end with the next Seq, which is then set in t.Seq.
func (p *pipe) step(t *incident.Transition) {
	p.steps = append(p.steps, t)
}

// runWrites runs the writes of batch in turn, each in a savepoint of its
// own, and sets in errs the error of each that failed: its savepoint
// rolled back, nothing it did stays. The writes after a failed one whose
// statements went in the same send are run again. It returns the
// transaction's own failure (the connection lost, or a savepoint not
// rolled back), which fails the batch.
func (p *pipe) runWrites(batch []*op, errs []error) error {
	for i := 0; ; {
		var err error
		if i < len(batch) {
			queued := p.b.Len()
			p.cur = &tail{i: i, mark: len(p.steps), sends: p.sends}
			p.b.Queue("SAVEPOINT w")
			if err = batch[i].fn(p); err != nil && p.failed == nil && p.sends == p.cur.sends {
				// nothing of it reached the server: drop what it queued
				p.b.QueuedQueries = p.b.QueuedQueries[:queued]
				errs[i], err = err, nil
			}
		} else if p.b.Len() > 0 {
			err = p.send()
		} else {
			return nil
		}
		switch {
		case p.failed != nil:
			// an ended write's statements failed: undo it, run those after again
			t := p.failed
			if broken := p.undo(t, p.failedReason, errs); broken != nil {
				return broken
			}
			i = t.i + 1
		case err != nil && i < len(batch):
			if broken := p.undo(p.cur, err, errs); broken != nil {
				return broken
			}
			i++
		case err != nil:
			return err
		default:
			i++
		}
	}
}

// undo sets err as the error of write t and rolls its savepoint back; it
// returns the transaction's failure when that cannot be done.
func (p *pipe) undo(t *tail, err error, errs []error) error {
	errs[t.i] = err
	p.steps, p.b, p.open, p.failed, p.failedReason = p.steps[:t.mark], &pgx.Batch{}, p.open[:0], nil, nil
	if unreachable(err) || p.conn.Conn().IsClosed() {
		return err
	}
	// the simple protocol: in an aborted transaction the server parses
	// nothing but its end or a rollback, so no statement of a batch
	// (prepared first) would do
	_, rerr := p.conn.Exec(p.ctx, "ROLLBACK TO SAVEPOINT w; RELEASE SAVEPOINT w")
	return rerr
}

// abort rolls the transaction back when it is still open.
func (p *pipe) abort() {
	c := p.conn.Conn()
	if c.IsClosed() || c.PgConn().TxStatus() == 'I' {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(p.ctx), rollbackTimeout)
	defer cancel()
	c.Exec(ctx, "ROLLBACK")
}
