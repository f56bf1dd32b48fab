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
// retries arriving together at several replicas store one incident; two
// in one batch see each other. Times come back in UTC, truncated to the
// microsecond.
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
	o := &op{ctx: ctx, size: size(&inc) + len(idemKey) + len(t.Note)}
	if idemKey != "" {
		o.locks.advisory(lockKey, idemKey)
	}
	if inc.ExternalRef != "" {
		o.locks.advisory(lockRef, inc.Source+"\x1f"+inc.ExternalRef)
	}
	o.fn = func(p *pipe) error {
		created = false
		id, found, err := existing(p, idemKey, inc.Source, inc.ExternalRef)
		if err != nil {
			return err
		}
		if !found && inc.ExternalRef == "" {
			// no reference: nothing to conflict with, no result awaited
			insertFresh(p, &inc, &t, idemKey, func() { stored, created = inc, true })
			p.step(&t)
			return p.done()
		}
		if !found {
			if id, found, err = insertNew(p, &inc); err != nil {
				return err
			}
		}
		if idemKey != "" {
			p.b.Queue(`INSERT INTO idempotency (key, incident_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, idemKey, int64(id))
		}
		if found {
			p.b.Queue(`SELECT `+incidentCols+` FROM incidents WHERE id = $1`, int64(id)).QueryRow(func(r pgx.Row) error {
				stored, err = scanIncident(r, nil)
				return err
			})
			return p.done()
		}
		inc.ID, t.Incident = id, id
		queueGrids(p.b, &inc)
		p.step(&t)
		if err := p.done(); err != nil {
			return fmt.Errorf("store incident %d: %w", id, err)
		}
		stored, created = inc, true
		return nil
	}
	if err := s.w.do(o); err != nil {
		return incident.Incident{}, 0, false, fmt.Errorf("create incident: %w", err)
	}
	if !created {
		return stored, 0, false, nil
	}
	return stored, t.Seq, true, nil
}

// existing returns the incident idemKey names, or else the one of source
// and ref (each when not empty). The batch holds their locks (Create), and
// the lookup is a statement of its own after them: read committed gives it
// a snapshot taken once they are held.
func existing(p *pipe, idemKey, source, ref string) (incident.ID, bool, error) {
	if idemKey == "" && ref == "" {
		return 0, false, nil
	}
	var id *int64
	p.b.Queue(`SELECT COALESCE(
		(SELECT incident_id FROM idempotency WHERE key = $1 AND $1 <> ''),
		(SELECT id FROM incidents WHERE source = $2 AND external_ref = $3 AND $3 <> ''))`,
		idemKey, source, ref).QueryRow(func(r pgx.Row) error { return r.Scan(&id) })
	if err := p.send(); err != nil {
		return 0, false, fmt.Errorf("look up incident: %w", err)
	}
	if id == nil {
		return 0, false, nil
	}
	return incident.ID(*id), true, nil
}

// insertFresh stores the new incident inc (which has no external
// reference), its grids and idemKey's row (when not empty) in one
// statement whose answer sets the id in inc and t and calls stored.
func insertFresh(p *pipe, inc *incident.Incident, t *incident.Transition, idemKey string, stored func()) {
	codes, layers := chainArrays(inc)
	args := append(incidentArgs(inc), codes, layers, idemKey)
	p.b.Queue(insertIncidentGrids, args...).QueryRow(func(r pgx.Row) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return fmt.Errorf("insert incident: %w", err)
		}
		inc.ID, t.Incident = incident.ID(id), incident.ID(id)
		stored()
		return nil
	})
}

// insertNew inserts inc's row and returns its id; when a bulk import
// stored the same source and reference meanwhile it returns that
// incident's id with found true instead.
func insertNew(p *pipe, inc *incident.Incident) (incident.ID, bool, error) {
	var id int64
	found := true
	p.b.Queue(insertIncident, incidentArgs(inc)...).QueryRow(func(r pgx.Row) error {
		err := r.Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			found = false
			return nil
		}
		return err
	})
	if err := p.send(); err != nil {
		return 0, false, fmt.Errorf("insert incident: %w", err)
	}
	if found {
		return incident.ID(id), false, nil
	}
	p.b.Queue(`SELECT id FROM incidents WHERE source = $1 AND external_ref = $2`, inc.Source, inc.ExternalRef).QueryRow(func(r pgx.Row) error {
		return r.Scan(&id)
	})
	if err := p.send(); err != nil {
		return 0, false, fmt.Errorf("look up incident: %w", err)
	}
	return incident.ID(id), true, nil
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
	o := &op{ctx: ctx, size: size(&after) + len(t.Note)}
	o.locks.rows = []int64{int64(after.ID)}
	o.fn = func(p *pipe) error {
		var (
			oldChain []byte
			reported time.Time
			updated  = true
		)
		args := append(incidentArgs(&after), int64(after.ID), string(expect.Status), micro(expect.UpdatedAt))
		p.b.Queue(applyUpdate, args...).QueryRow(func(r pgx.Row) error {
			err := r.Scan(&oldChain, &reported)
			if errors.Is(err, pgx.ErrNoRows) {
				updated = false
				return nil
			}
			return err
		})
		if err := p.send(); err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if !updated {
			return missing(p, after.ID)
		}
		if err := reindex(p.b, &after, oldChain, reported); err != nil {
			return err
		}
		p.step(&t)
		return p.done()
	}
	if err := s.w.do(o); err != nil {
		return 0, fmt.Errorf("apply %s to incident %d: %w", t.Action, expect.ID, err)
	}
	return t.Seq, nil
}

// missing is the error of a step whose update found no row:
// incident.ErrConflict when incident id exists, else incident.ErrNotFound.
func missing(p *pipe, id incident.ID) error {
	var exists bool
	p.b.Queue(`SELECT EXISTS (SELECT 1 FROM incidents WHERE id = $1)`, int64(id)).QueryRow(func(r pgx.Row) error {
		return r.Scan(&exists)
	})
	if err := p.send(); err != nil {
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
