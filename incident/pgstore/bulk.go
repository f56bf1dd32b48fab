package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/gridmap/gridmap/incident"
	"github.com/jackc/pgx/v5"
)

// importChunk is how many records of a CreateMany go into one
// transaction: its transitions are copied and committed under the seq
// lock, which the live writes of every replica wait for meanwhile.
const importChunk = 1000

// CreateMany stores the records of a bulk import, importChunk to a
// transaction, skipping those whose Source+ExternalRef is stored already
// (or earlier in batch). It sets, in place, the ID of each stored
// record's Incident and its transitions' Incident and Seq (UTC times
// truncated to the microsecond, as stored). It returns how many it
// stored; on an error, the chunks before it stay stored.
func (s *Store) CreateMany(ctx context.Context, batch []incident.Record) (int, error) {
	stored := 0
	for len(batch) > 0 {
		chunk := batch[:min(importChunk, len(batch))]
		batch = batch[len(chunk):]
		n := 0
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			var err error
			n, err = createChunk(ctx, tx, chunk)
			return err
		})
		if err != nil {
			for i := range chunk {
				chunk[i].Incident.ID = 0
			}
			return stored, fmt.Errorf("bulk create: %w", err)
		}
		stored += n
	}
	return stored, nil
}

// createChunk stores the records of chunk in tx: their incidents (one
// pipelined batch), grids, and transitions (copied, Seqs taken at the
// end); it returns how many were stored.
func createChunk(ctx context.Context, tx pgx.Tx, chunk []incident.Record) (int, error) {
	b := &pgx.Batch{}
	for i := range chunk {
		r := &chunk[i]
		r.Incident.ID = 0
		truncate(&r.Incident)
		b.Queue(insertIncident, incidentArgs(&r.Incident)...).QueryRow(func(row pgx.Row) error {
			var id int64
			if err := row.Scan(&id); err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("record %d: %w", i+1, err)
			}
			r.Incident.ID = incident.ID(id)
			return nil
		})
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return 0, fmt.Errorf("insert incidents: %w", err)
	}
	n, steps := 0, 0
	b = &pgx.Batch{}
	for i := range chunk {
		if r := &chunk[i]; r.Incident.ID != 0 {
			n++
			steps += len(r.Transitions)
			queueGrids(b, &r.Incident)
		}
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return 0, fmt.Errorf("index grids: %w", err)
	}
	if steps == 0 {
		return n, nil
	}
	first, err := takeSeqs(ctx, tx, steps)
	if err != nil {
		return 0, err
	}
	rows := make([][]any, 0, steps)
	for i := range chunk {
		r := &chunk[i]
		if r.Incident.ID == 0 {
			continue
		}
		for j := range r.Transitions {
			t := &r.Transitions[j]
			t.Incident, t.Seq, t.At = r.Incident.ID, first+uint64(len(rows)), micro(t.At)
			rows = append(rows, transitionArgs(t))
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"transitions"}, transitionColumns, pgx.CopyFromRows(rows)); err != nil {
		return 0, fmt.Errorf("copy transitions: %w", err)
	}
	return n, nil
}
