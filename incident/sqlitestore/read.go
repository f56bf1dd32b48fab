package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/gridmap/gridmap/incident"
)

// Get returns incident id and its whole history, oldest first, read in one
// transaction (an error wrapping incident.ErrNotFound when there is none).
func (s *Store) Get(ctx context.Context, id incident.ID) (incident.Incident, []incident.Transition, error) {
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return incident.Incident{}, nil, fmt.Errorf("get incident %d: %w", id, err)
	}
	defer tx.Rollback()
	inc, err := scanIncident(tx.QueryRowContext(ctx, `SELECT `+incidentCols+` FROM incidents WHERE id = ?`, int64(id)), nil)
	if errors.Is(err, sql.ErrNoRows) {
		return inc, nil, fmt.Errorf("get incident %d: %w", id, incident.ErrNotFound)
	}
	if err != nil {
		return inc, nil, fmt.Errorf("get incident %d: %w", id, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+transitionCols+` FROM transitions WHERE incident_id = ? ORDER BY seq`, int64(id))
	if err != nil {
		return inc, nil, fmt.Errorf("history of incident %d: %w", id, err)
	}
	hist, err := transitions(rows)
	if err != nil {
		return inc, nil, fmt.Errorf("history of incident %d: %w", id, err)
	}
	return inc, hist, nil
}

// transitions reads and closes rows of transitionCols.
func transitions(rows *sql.Rows) ([]incident.Transition, error) {
	defer rows.Close()
	var out []incident.Transition
	for rows.Next() {
		t, err := scanTransition(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Since returns the transitions after seq, oldest first, at most limit
// (limit <= 0: MaxLimit).
func (s *Store) Since(ctx context.Context, seq uint64, limit int) ([]incident.Transition, error) {
	if limit <= 0 {
		limit = incident.MaxLimit
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+transitionCols+` FROM transitions WHERE seq > ? ORDER BY seq LIMIT ?`, int64(seq), limit)
	if err != nil {
		return nil, fmt.Errorf("transitions since %d: %w", seq, err)
	}
	out, err := transitions(rows)
	if err != nil {
		return nil, fmt.Errorf("transitions since %d: %w", seq, err)
	}
	return out, nil
}

// Scan calls fn with every incident in ID order, streaming from one read
// transaction (a snapshot of the moment it starts); fn's error stops it and
// is returned. Incidents of the same chain share one Chain slice, which fn
// must not change.
func (s *Store) Scan(ctx context.Context, fn func(incident.Incident) error) error {
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("scan incidents: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+incidentCols+` FROM incidents ORDER BY id`)
	if err != nil {
		return fmt.Errorf("scan incidents: %w", err)
	}
	defer rows.Close()
	cache := chainCache{}
	for rows.Next() {
		inc, err := scanIncident(rows, cache)
		if err != nil {
			return fmt.Errorf("scan incidents: %w", err)
		}
		if err := fn(inc); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan incidents: %w", err)
	}
	return nil
}
