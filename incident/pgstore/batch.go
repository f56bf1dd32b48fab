package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/jackc/pgx/v5"
)

// locks are the locks one write takes, all held until its batch ends:
// advisory locks (class, hashtext of key) and incidents' rows.
type locks struct {
	classes []int32
	keys    []string
	rows    []int64
}

// advisory adds the advisory lock of class on the hashtext of key.
func (l *locks) advisory(class int32, key string) {
	l.classes, l.keys = append(l.classes, class), append(l.keys, key)
}

// lockAdvisory takes the advisory locks of the arrays of classes ($1) and
// keys ($2) in the order of class and hash (a subquery with ORDER BY is
// not flattened, and the aggregate takes its rows in that order).
const lockAdvisory = `SELECT count(pg_advisory_xact_lock(c, hashtext(k)))
	FROM (SELECT c, k FROM unnest($1::int[], $2::text[]) AS u(c, k) ORDER BY c, hashtext(k)) s`

// lockRows locks the rows of the incidents of ids $1 in the order of id.
const lockRows = `SELECT count(*) FROM (SELECT id FROM incidents WHERE id = ANY($1) ORDER BY id FOR UPDATE) s`

// queueLocks queues the locks of every write of batch: advisory locks
// first, then rows, each kind in one order that every process follows, so
// that the batches of two replicas never wait for each other in a cycle.
func queueLocks(b *pgx.Batch, batch []*op) {
	var all locks
	for _, o := range batch {
		all.classes = append(all.classes, o.locks.classes...)
		all.keys = append(all.keys, o.locks.keys...)
		all.rows = append(all.rows, o.locks.rows...)
	}
	if len(all.keys) > 0 {
		b.Queue(lockAdvisory, all.classes, all.keys)
	}
	if len(all.rows) > 0 {
		b.Queue(lockRows, all.rows)
	}
}

// runBatch runs the writes of batch in one transaction and answers each:
// its own error when it failed (its savepoint rolled back), nil once the
// COMMIT returned, or the transaction's error when the batch failed.
// When the connection it took turns out dead before any write ran (the
// database restarted since it was made; so did the others of the pool,
// which is emptied) the batch runs once more on a new one.
func (s *Store) runBatch(batch []*op) {
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	errs := make([]error, len(batch))
	err, retry := s.tryBatch(ctx, batch, errs)
	if retry {
		s.pool.Reset()
		err, _ = s.tryBatch(ctx, batch, errs)
	}
	for i, o := range batch {
		if err != nil && errs[i] == nil {
			errs[i] = err
		}
		o.answer <- wrap(errs[i])
	}
}

// tryBatch runs batch in a transaction, each write's own error in errs,
// and returns the transaction's error; retry reports that it failed at
// its first send on a lost connection, so that no write ran.
func (s *Store) tryBatch(ctx context.Context, batch []*op, errs []error) (err error, retry bool) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err, false
	}
	defer conn.Release()
	p := &pipe{ctx: ctx, conn: conn, b: &pgx.Batch{}}
	p.b.Queue("BEGIN")
	queueLocks(p.b, batch)
	if err := p.send(); err != nil {
		p.abort()
		return fmt.Errorf("begin batch: %w", err), unreachable(err)
	}
	if err := p.runWrites(batch, errs); err != nil {
		p.abort()
		return err, false
	}
	if err := p.commit(); err != nil {
		p.abort()
		return fmt.Errorf("commit: %w", err), false
	}
	return nil, false
}

// commit stores the batch's transitions with the next Seqs, taken under
// the seq lock, and commits, all in one send; then it sets their Seqs.
// The lock is held until the commit ends, and PostgreSQL makes a
// transaction visible before it releases its locks: the transitions any
// reader sees are always every one committed up to some Seq. The insert
// notifies gridmap_incidents once, with the batch's highest Seq.
func (p *pipe) commit() error {
	n := len(p.steps)
	var last int64
	if n > 0 {
		p.b.Queue(`SELECT pg_advisory_xact_lock($1, 0)`, lockSeq)
		p.b.Queue(`SELECT setval('transition_seq', nextval('transition_seq') + $1 - 1)`, n).QueryRow(func(r pgx.Row) error {
			return r.Scan(&last)
		})
		p.b.Queue(insertSteps, stepArgs(p.steps)...)
	}
	p.b.Queue("COMMIT")
	if err := p.send(); err != nil {
		return err
	}
	for i, t := range p.steps {
		t.Seq = uint64(last) - uint64(n) + 1 + uint64(i)
	}
	return nil
}

// insertSteps stores the transitions of the arrays $2… (one element
// each, in stepArgs' order) with the Seqs from the one currval of the
// sequence (just set) minus $1 (their number), onwards.
var insertSteps = `INSERT INTO transitions (` + transitionCols + `)
	SELECT currval('transition_seq') - $1 + u.ord, u.incident_id, u.action, u.from_status, u.to_status, u.at,
		u.actor_key, u.actor_name, u.actor_role, u.actor_staff, u.note, u.assignee, u.assignee_grid, u.rating
	FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[],
		$9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::smallint[])
		WITH ORDINALITY AS u(incident_id, action, from_status, to_status, at, actor_key, actor_name,
			actor_role, actor_staff, note, assignee, assignee_grid, rating, ord)`

// stepArgs are the arguments of insertSteps for steps.
func stepArgs(steps []*incident.Transition) []any {
	n := len(steps)
	ids, ats, ratings := make([]int64, n), make([]time.Time, n), make([]int, n)
	var text [10][]string
	for j := range text {
		text[j] = make([]string, n)
	}
	for i, t := range steps {
		ids[i], ats[i], ratings[i] = int64(t.Incident), t.At, t.Rating
		for j, v := range [...]string{string(t.Action), string(t.From), string(t.To), t.Actor.KeyID,
			t.Actor.Name, t.Actor.Role, t.Actor.Staff, t.Note, t.Assignee, t.AssigneeGrid} {
			text[j][i] = v
		}
	}
	return []any{n, ids, text[0], text[1], text[2], ats, text[3], text[4], text[5], text[6],
		text[7], text[8], text[9], ratings}
}
