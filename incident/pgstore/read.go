package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/gridmap/gridmap/incident"
	"github.com/jackc/pgx/v5"
)

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// getIncident reads incident id (an error wrapping incident.ErrNotFound
// when there is none).
func getIncident(ctx context.Context, q querier, id incident.ID) (incident.Incident, error) {
	inc, err := scanIncident(q.QueryRow(ctx, `SELECT `+incidentCols+` FROM incidents WHERE id = $1`, int64(id)), nil)
	if errors.Is(err, pgx.ErrNoRows) {
		return inc, fmt.Errorf("incident %d: %w", id, incident.ErrNotFound)
	}
	return inc, err
}

// Get returns incident id and its whole history, oldest first, read in one
// repeatable-read transaction (an error wrapping incident.ErrNotFound when
// there is none).
func (s *Store) Get(ctx context.Context, id incident.ID) (incident.Incident, []incident.Transition, error) {
	var (
		inc  incident.Incident
		hist []incident.Transition
	)
	err := wrap(pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		if inc, err = getIncident(ctx, tx, id); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+transitionCols+` FROM transitions WHERE incident_id = $1 ORDER BY seq`, int64(id))
		if err != nil {
			return fmt.Errorf("history: %w", err)
		}
		hist, err = collect(rows, func(r pgx.CollectableRow) (incident.Transition, error) { return scanTransition(r) })
		if err != nil {
			return fmt.Errorf("history: %w", err)
		}
		return nil
	}))
	if err != nil {
		return incident.Incident{}, nil, fmt.Errorf("get incident %d: %w", id, err)
	}
	return inc, hist, nil
}

// Since returns the transitions after seq, oldest first, at most limit
// (limit <= 0: incident.MaxLimit). What it returns is every transition
// committed up to the last one's Seq (see the package doc): a reader that
// goes on from there misses none.
func (s *Store) Since(ctx context.Context, seq uint64, limit int) ([]incident.Transition, error) {
	if limit <= 0 {
		limit = incident.MaxLimit
	}
	rows, err := s.pool.Query(ctx, `SELECT `+transitionCols+` FROM transitions WHERE seq > $1 ORDER BY seq LIMIT $2`, int64(seq), limit)
	if err != nil {
		return nil, fmt.Errorf("transitions since %d: %w", seq, wrap(err))
	}
	out, err := collect(rows, func(r pgx.CollectableRow) (incident.Transition, error) { return scanTransition(r) })
	if err != nil {
		return nil, fmt.Errorf("transitions since %d: %w", seq, wrap(err))
	}
	return out, nil
}

// Scan calls fn with every incident in ID order, streaming from one
// repeatable-read transaction (a snapshot of the moment it starts); fn's
// error stops it and is returned. Incidents of the same chain share one
// Chain slice, which fn must not change.
func (s *Store) Scan(ctx context.Context, fn func(incident.Incident) error) error {
	var fnErr error
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+incidentCols+` FROM incidents ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		cache := chainCache{}
		for rows.Next() {
			inc, err := scanIncident(rows, cache)
			if err != nil {
				return err
			}
			if fnErr = fn(inc); fnErr != nil {
				return fnErr
			}
		}
		return rows.Err()
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("scan incidents: %w", wrap(err))
	}
	return nil
}

// collect reads and closes rows through fn: nil when there are none, as
// the SQLite store gives.
func collect[T any](rows pgx.Rows, fn pgx.RowToFunc[T]) ([]T, error) {
	return pgx.AppendRows([]T(nil), rows, fn)
}
