package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/jackc/pgx/v5"
)

// Create stores inc (its ID assigned) and its first transition t, unless
// idemKey or inc's Source+ExternalRef already names an incident: then it
// returns that one with created false. Creates of one key, or of one
// source and reference, are serialised by advisory locks, so that
// retries arriving together at several replicas store one incident.
// Times come back in UTC, truncated to the microsecond.
func (s *Store) Create(ctx context.Context, inc incident.Incident, t incident.Transition, idemKey string) (incident.Incident, bool, error) {
	stored, _, created, err := s.CreateSeq(ctx, inc, t, idemKey)
	return stored, created, err
}

// CreateSeq is Create, also returning the Seq of t when created.
func (s *Store) CreateSeq(ctx context.Context, inc incident.Incident, t incident.Transition, idemKey string) (incident.Incident, uint64, bool, error) {
	truncate(&inc)
	t.At = micro(t.At)
	var (
		stored  incident.Incident
		created bool
	)
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		created = false
		id, found, err := existing(ctx, tx, idemKey, inc.Source, inc.ExternalRef)
		if err != nil {
			return err
		}
		if !found {
			if id, found, err = insertNew(ctx, tx, &inc); err != nil {
				return err
			}
		}
		b := &pgx.Batch{}
		if idemKey != "" {
			b.Queue(`INSERT INTO idempotency (key, incident_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, idemKey, int64(id))
		}
		if found {
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return fmt.Errorf("store idempotency key: %w", err)
			}
			stored, err = getIncident(ctx, tx, id)
			return err
		}
		inc.ID, t.Incident = id, id
		queueGrids(b, &inc)
		queueStep(b, &t)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("store incident %d: %w", id, err)
		}
		stored, created = inc, true
		return nil
	})
	if err != nil {
		return incident.Incident{}, 0, false, fmt.Errorf("create incident: %w", err)
	}
	if !created {
		return stored, 0, false, nil
	}
	return stored, t.Seq, true, nil
}

// existing takes the locks of idemKey and of source+ref (each when not
// empty) and returns the incident the key names, or else the one of
// source and ref.
func existing(ctx context.Context, tx pgx.Tx, idemKey, source, ref string) (incident.ID, bool, error) {
	if idemKey == "" && ref == "" {
		return 0, false, nil
	}
	b := &pgx.Batch{}
	if idemKey != "" {
		b.Queue(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockKey, idemKey)
	}
	if ref != "" {
		b.Queue(`SELECT pg_advisory_xact_lock($1, hashtext($2 || E'\x1f' || $3))`, lockRef, source, ref)
	}
	// a statement of its own, after the locks: read committed gives it a
	// snapshot taken once they are held
	var id *int64
	b.Queue(`SELECT COALESCE(
		(SELECT incident_id FROM idempotency WHERE key = $1 AND $1 <> ''),
		(SELECT id FROM incidents WHERE source = $2 AND external_ref = $3 AND $3 <> ''))`,
		idemKey, source, ref).QueryRow(func(r pgx.Row) error { return r.Scan(&id) })
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return 0, false, fmt.Errorf("look up incident: %w", err)
	}
	if id == nil {
		return 0, false, nil
	}
	return incident.ID(*id), true, nil
}

// insertNew inserts inc's row and returns its id; when a bulk import
// stored the same source and reference meanwhile it returns that
// incident's id with found true instead.
func insertNew(ctx context.Context, tx pgx.Tx, inc *incident.Incident) (incident.ID, bool, error) {
	var id int64
	err := tx.QueryRow(ctx, insertIncident, incidentArgs(inc)...).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		err = tx.QueryRow(ctx, `SELECT id FROM incidents WHERE source = $1 AND external_ref = $2`, inc.Source, inc.ExternalRef).Scan(&id)
		if err != nil {
			return 0, false, fmt.Errorf("look up incident: %w", err)
		}
		return incident.ID(id), true, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("insert incident: %w", err)
	}
	return incident.ID(id), false, nil
}

// applyUpdate sets every column but id ($1..$25) of incident $26 if its
// status and updated_at are still $27 and $28, returning its chain and
// reported_at before.
var applyUpdate = `WITH old AS (
		SELECT id, chain, reported_at FROM incidents WHERE id = $26 AND status = $27 AND updated_at = $28 FOR UPDATE)
	UPDATE incidents i SET (` + incidentCols[len("id, "):] + `) = (` + placeholders(1, incidentColCount-1) + `)
	FROM old WHERE i.id = old.id RETURNING old.chain, old.reported_at`

// Apply stores one step on expect.ID: after, as the incident is after the
// step, and t, if the stored status and UpdatedAt (to the microsecond)
// are still expect's (else an error wrapping incident.ErrConflict;
// incident.ErrNotFound when there is no such incident). It returns t's
// Seq.
func (s *Store) Apply(ctx context.Context, expect, after incident.Incident, t incident.Transition) (uint64, error) {
	if after.ID != expect.ID {
		return 0, fmt.Errorf("apply to incident %d: after names incident %d", expect.ID, after.ID)
	}
	truncate(&after)
	t.At, t.Incident = micro(t.At), after.ID
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var (
			oldChain []byte
			reported time.Time
		)
		args := append(incidentArgs(&after), int64(after.ID), string(expect.Status), micro(expect.UpdatedAt))
		err := tx.QueryRow(ctx, applyUpdate, args...).Scan(&oldChain, &reported)
		if errors.Is(err, pgx.ErrNoRows) {
			return missing(ctx, tx, after.ID)
		}
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		b := &pgx.Batch{}
		if err := reindex(b, &after, oldChain, reported); err != nil {
			return err
		}
		queueStep(b, &t)
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return 0, fmt.Errorf("apply %s to incident %d: %w", t.Action, expect.ID, err)
	}
	return t.Seq, nil
}

// missing is the error of a step whose update found no row:
// incident.ErrConflict when incident id exists, else incident.ErrNotFound.
func missing(ctx context.Context, tx pgx.Tx, id incident.ID) error {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM incidents WHERE id = $1)`, int64(id)).Scan(&exists); err != nil {
		return fmt.Errorf("look up incident: %w", err)
	}
	if exists {
		return incident.ErrConflict
	}
	return incident.ErrNotFound
}

// reindex queues the replacement of inc's rows of incident_grids when its
// grids or report time differ from those it had (oldChain, reported).
func reindex(b *pgx.Batch, inc *incident.Incident, oldChain []byte, reported time.Time) error {
	old, err := decodeChain(oldChain, nil)
	if err != nil {
		return fmt.Errorf("reindex grids of incident %d: %w", inc.ID, err)
	}
	if reported.Equal(inc.ReportedAt) && sameGrids(old, inc.Chain) {
		return nil
	}
	codes := make([]string, len(old))
	for i, l := range old {
		codes[i] = l.Code
	}
	b.Queue(`DELETE FROM incident_grids WHERE code = ANY($1) AND reported_at = $2 AND incident_id = $3`, codes, reported, int64(inc.ID))
	queueGrids(b, inc)
	return nil
}

// sameGrids reports whether chains a and b hold the same codes of the same
// layers, in order.
func sameGrids(a, b []incident.Link) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Code != b[i].Code || a[i].Layer != b[i].Layer {
			return false
		}
	}
	return true
}
