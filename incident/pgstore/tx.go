package pgstore

import (
	"context"
	"fmt"

	"github.com/gridmap/gridmap/incident"
	"github.com/jackc/pgx/v5"
)

// The advisory locks of the store (pg_advisory_xact_lock(class, key)),
// all held until the transaction ends. Taken in this order: key, ref, seq.
const (
	// lockKey serialises the creates of one idempotency key
	// (key: hashtext of it).
	lockKey = 0x676d0001 + iota
	// lockRef serialises the creates of one source and external
	// reference (key: hashtext of both).
	lockRef
	// lockSeq is the one lock under which Seqs are taken (key 0): the
	// transitions committed are always a prefix of the Seqs taken.
	lockSeq
)

// inTx runs fn in a transaction (read committed) and commits it when fn
// returns nil; errors of an unreachable database wrap
// incident.ErrUnavailable.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return wrap(pgx.BeginFunc(ctx, s.pool, fn))
}

// nextSeq is the INSERT of one transition of transitionCols whose seq is
// the next of the sequence (under lockSeq), returning it.
var nextSeq = `INSERT INTO transitions (` + transitionCols + `) VALUES (nextval('transition_seq'), ` +
	placeholders(1, len(transitionColumns)-1) + `) RETURNING seq`

// queueStep queues, at the end of b, the seq lock and the insert of t with
// the next Seq, which it sets in t.Seq. Nothing may follow it in the
// transaction but its commit: the lock is held until then.
func queueStep(b *pgx.Batch, t *incident.Transition) {
	b.Queue(`SELECT pg_advisory_xact_lock($1, 0)`, lockSeq)
	b.Queue(nextSeq, transitionArgs(t)[1:]...).QueryRow(func(r pgx.Row) error {
		if err := r.Scan(&t.Seq); err != nil {
			return fmt.Errorf("store transition: %w", err)
		}
		return nil
	})
}

// takeSeqs takes n consecutive Seqs under the seq lock, which tx holds
// until it ends, and returns the first.
func takeSeqs(ctx context.Context, tx pgx.Tx, n int) (uint64, error) {
	b := &pgx.Batch{}
	b.Queue(`SELECT pg_advisory_xact_lock($1, 0)`, lockSeq)
	var last int64
	b.Queue(`SELECT setval('transition_seq', nextval('transition_seq') + $1 - 1)`, n).QueryRow(func(r pgx.Row) error {
		return r.Scan(&last)
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return 0, fmt.Errorf("take %d seqs: %w", n, err)
	}
	return uint64(last) - uint64(n) + 1, nil
}

// queueGrids queues the insert of the grids of inc's chain into
// incident_grids.
func queueGrids(b *pgx.Batch, inc *incident.Incident) {
	if len(inc.Chain) == 0 {
		return
	}
	codes, layers := make([]string, len(inc.Chain)), make([]string, len(inc.Chain))
	for i, l := range inc.Chain {
		codes[i], layers[i] = l.Code, l.Layer
	}
	b.Queue(`INSERT INTO incident_grids (code, reported_at, incident_id, layer)
		SELECT c, $2, $3, l FROM unnest($1::text[], $4::text[]) AS u(c, l) ON CONFLICT DO NOTHING`,
		codes, inc.ReportedAt, int64(inc.ID), layers)
}
