package pgstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/staff"
	"github.com/jackc/pgx/v5"
)

// restoreIncident stores an incident of a given id ($1), or nothing when
// that id is stored; it returns the id when stored.
var restoreIncident = `INSERT INTO incidents (` + incidentCols + `) VALUES (` + placeholders(1, incidentColCount) + `)
	ON CONFLICT (id) DO NOTHING RETURNING id`

// RestoreIncidents stores incidents with their IDs (not their history;
// times truncated to the microsecond) and returns the IDs of those stored
// already, which it leaves as they are. New incidents are numbered after
// the greatest ID then.
func (s *Store) RestoreIncidents(ctx context.Context, incs []incident.Incident) ([]incident.ID, error) {
	var present []incident.ID
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		present = present[:0]
		b, grids := &pgx.Batch{}, &pgx.Batch{}
		for i := range incs {
			inc := incs[i]
			truncate(&inc)
			args := append([]any{int64(inc.ID)}, incidentArgs(&inc)...)
			b.Queue(restoreIncident, args...).QueryRow(func(r pgx.Row) error {
				var id int64
				switch err := r.Scan(&id); {
				case errors.Is(err, pgx.ErrNoRows):
					present = append(present, inc.ID)
				case err != nil:
					return fmt.Errorf("incident %d: %w", inc.ID, err)
				default:
					queueGrids(grids, &inc)
				}
				return nil
			})
		}
		b.Queue(`SELECT setval(pg_get_serial_sequence('incidents', 'id'), GREATEST((SELECT max(id) FROM incidents), 1))`)
		if err := tx.SendBatch(ctx, b).Close(); err != nil || grids.Len() == 0 {
			return err
		}
		return tx.SendBatch(ctx, grids).Close()
	})
	if err != nil {
		return nil, fmt.Errorf("restore incidents: %w", err)
	}
	return present, nil
}

// RestoreTransitions stores transitions with their Seqs (under the seq
// lock, so that a follower misses none; times truncated to the
// microsecond) and returns the Seqs stored already, which it leaves as
// they are. New transitions are numbered after the greatest Seq then.
func (s *Store) RestoreTransitions(ctx context.Context, ts []incident.Transition) ([]uint64, error) {
	var present []uint64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, lockSeq); err != nil {
			return err
		}
		seqs := make([]int64, len(ts))
		for i, t := range ts {
			seqs[i] = int64(t.Seq)
		}
		rows, err := tx.Query(ctx, `SELECT seq FROM transitions WHERE seq = ANY($1) ORDER BY seq`, seqs)
		if err != nil {
			return err
		}
		if present, err = collect(rows, pgx.RowTo[uint64]); err != nil {
			return err
		}
		var add [][]any
		for _, t := range ts {
			if _, held := slices.BinarySearch(present, t.Seq); !held {
				t.At = micro(t.At)
				add = append(add, transitionArgs(&t))
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"transitions"}, transitionColumns, pgx.CopyFromRows(add)); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `SELECT setval('transition_seq', GREATEST((SELECT max(seq) FROM transitions), (SELECT last_value FROM transition_seq)))`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("restore transitions: %w", err)
	}
	return present, nil
}

// RestoreKeys stores idempotency keys and returns those stored already,
// as stored.
func (s *Store) RestoreKeys(ctx context.Context, keys []incident.Key) ([]incident.Key, error) {
	ks, ids := make([]string, len(keys)), make([]int64, len(keys))
	for i, k := range keys {
		ks[i], ids[i] = k.Key, int64(k.Incident)
	}
	var present []incident.Key
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT key, incident_id FROM idempotency WHERE key = ANY($1)`, ks)
		if err != nil {
			return err
		}
		if present, err = collect(rows, scanKey); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO idempotency (key, incident_id) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING`, ks, ids)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("restore idempotency keys: %w", err)
	}
	return present, nil
}

// Keys returns the idempotency keys after after (in the database's
// collation), at most limit.
func (s *Store) Keys(ctx context.Context, after string, limit int) ([]incident.Key, error) {
	rows, err := s.pool.Query(ctx, `SELECT key, incident_id FROM idempotency WHERE key > $1 ORDER BY key LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("idempotency keys: %w", wrap(err))
	}
	out, err := collect(rows, scanKey)
	if err != nil {
		return nil, fmt.Errorf("idempotency keys: %w", wrap(err))
	}
	return out, nil
}

// scanKey reads a row of key and incident_id.
func scanKey(r pgx.CollectableRow) (incident.Key, error) {
	var k incident.Key
	err := r.Scan(&k.Key, &k.Incident)
	return k, err
}

// RestoreRoster stores r under its version as given (ID "rN", Created to
// the microsecond, Source, SHA256; made the active one when Active) and
// reports whether that version was stored already (then it writes
// nothing).
func (s *Store) RestoreRoster(ctx context.Context, r *staff.Roster) (bool, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(r.Version.ID, "r"))
	if err != nil || n <= 0 || !strings.HasPrefix(r.Version.ID, "r") {
		return false, fmt.Errorf("restore roster %q: not a version id of the form r1, r2…", r.Version.ID)
	}
	v := r.Version
	v.Created = micro(v.Created)
	present := false
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, lockRoster); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM rosters WHERE id = $1)`, v.ID).Scan(&present); err != nil || present {
			return err
		}
		return insertRoster(ctx, tx, n, v, r)
	})
	if err != nil {
		return false, fmt.Errorf("restore roster %s: %w", v.ID, err)
	}
	return present, nil
}
