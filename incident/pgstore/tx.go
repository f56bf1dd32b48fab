package pgstore

import (
	"context"
	"fmt"

	"github.com/gridmap/gridmap/incident"
	"github.com/jackc/pgx/v5"
)

// The advisory locks of the store (pg_advisory_xact_lock(class, key)),
// all held until the transaction ends. A batch (batch.go) takes the key
// and ref locks of all its writes at its start, in the order of class and
// hash, then its incidents' rows in the order of id, and the seq lock at
// its end.
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
	return s.inTxOf(ctx, pgx.TxOptions{}, fn)
}

// readOnly is a snapshot to read from: repeatable read, read only.
var readOnly = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}

// inTxOf is inTx in a transaction of opts.
func (s *Store) inTxOf(ctx context.Context, opts pgx.TxOptions, fn func(pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, opts)
	if err != nil && unreachable(err) {
		// the connection died with the server it was made to (restarted
		// since); so did the others in the pool. Nothing was done on it:
		// try once more on a new one.
		s.pool.Reset()
		tx, err = s.pool.BeginTx(ctx, opts)
	}
	if err != nil {
		return wrap(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback(ctx)
		return wrap(err)
	}
	return wrap(tx.Commit(ctx))
}

// query runs a query of the pool, once more on a new connection when the
// one it took turns out dead (as inTxOf).
func (s *Store) query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil && unreachable(err) {
		s.pool.Reset()
		rows, err = s.pool.Query(ctx, sql, args...)
	}
	return rows, wrap(err)
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
	codes, layers := chainArrays(inc)
	b.Queue(`INSERT INTO incident_grids (code, reported_at, incident_id, layer)
		SELECT c, $2, $3, l FROM unnest($1::text[], $4::text[]) AS u(c, l) ON CONFLICT DO NOTHING`,
		codes, inc.ReportedAt, int64(inc.ID), layers)
}

// chainArrays are the codes and layers of inc's chain.
func chainArrays(inc *incident.Incident) (codes, layers []string) {
	codes, layers = make([]string, len(inc.Chain)), make([]string, len(inc.Chain))
	for i, l := range inc.Chain {
		codes[i], layers[i] = l.Code, l.Layer
	}
	return codes, layers
}
