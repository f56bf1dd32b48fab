package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gridmap/gridmap/incident"
)

// importChunk is how many records of a CreateMany go into one transaction:
// large enough that a bulk import is not bound by commits, small enough
// that the live writes queued behind it wait a few tens of milliseconds.
const importChunk = 2000

// Create stores inc (its ID assigned) and its first transition t, unless
// idemKey or inc's Source+ExternalRef already names an incident: then it
// returns that one with created false. The check and the insert are in one
// transaction of the single writer, so two retries arriving together store
// one incident. Times come back in UTC.
func (s *Store) Create(ctx context.Context, inc incident.Incident, t incident.Transition, idemKey string) (incident.Incident, bool, error) {
	stored, _, created, err := s.CreateSeq(ctx, inc, t, idemKey)
	return stored, created, err
}

// CreateSeq is Create, also returning the Seq of t when created.
func (s *Store) CreateSeq(ctx context.Context, inc incident.Incident, t incident.Transition, idemKey string) (incident.Incident, uint64, bool, error) {
	utc(&inc)
	var seq uint64
	chain, err := encodeChain(inc.Chain)
	if err != nil {
		return incident.Incident{}, 0, false, err
	}
	var (
		stored  incident.Incident
		created bool
	)
	err = s.w.do(ctx, func(x *wtx) error {
		created = false
		id, found, err := existing(x, idemKey, inc.Source, inc.ExternalRef)
		if err != nil {
			return err
		}
		if !found {
			ts := []incident.Transition{t}
			if id, err = insert(x, &inc, chain, ts); err != nil {
				return err
			}
			seq = ts[0].Seq
			created = true
		}
		if idemKey != "" {
			if _, err := x.exec(`INSERT INTO idempotency (key, incident_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, idemKey, id); err != nil {
				return fmt.Errorf("store idempotency key: %w", err)
			}
		}
		if created {
			stored = inc
			stored.ID = id
			return nil
		}
		stored, err = getIn(x, id)
		return err
	})
	if err != nil {
		return incident.Incident{}, 0, false, fmt.Errorf("create incident: %w", err)
	}
	return stored, seq, created, nil
}

// existing returns the incident named by the idempotency key, or else by
// source and external reference (each when not empty).
func existing(x *wtx, idemKey, source, ref string) (incident.ID, bool, error) {
	var id incident.ID
	if idemKey != "" {
		r, err := x.queryRow(`SELECT incident_id FROM idempotency WHERE key = ?`, idemKey)
		if err != nil {
			return 0, false, err
		}
		if found, err := one(r.Scan(&id)); found || err != nil {
			return id, found, err
		}
	}
	if ref != "" {
		r, err := x.queryRow(`SELECT id FROM incidents WHERE source = ? AND external_ref = ? AND external_ref <> ''`, source, ref)
		if err != nil {
			return 0, false, err
		}
		return oneID(r, &id)
	}
	return 0, false, nil
}

// oneID scans an id from r.
func oneID(r *sql.Row, id *incident.ID) (incident.ID, bool, error) {
	found, err := one(r.Scan(id))
	return *id, found, err
}

// one turns a single-row scan's error into found.
func one(err error) (bool, error) {
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	default:
		return false, fmt.Errorf("look up incident: %w", err)
	}
}

// insert stores a new incident, its grids and its transitions (Incident
// and Seq assigned) and returns its ID; it returns 0 when an incident of
// the same source and external reference exists.
func insert(x *wtx, inc *incident.Incident, chain string, ts []incident.Transition) (incident.ID, error) {
	res, err := x.exec(insertIncident+` ON CONFLICT DO NOTHING`, incidentArgs(inc, chain)...)
	if err != nil {
		return 0, fmt.Errorf("insert incident: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, err
	}
	n, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("insert incident: %w", err)
	}
	id := incident.ID(n)
	if err := insertGrids(x, id, inc); err != nil {
		return 0, err
	}
	for i := range ts {
		ts[i].Incident = id
	}
	return id, insertSteps(x, ts)
}

// insertGrids indexes the grids of inc's chain under id, in one statement.
func insertGrids(x *wtx, id incident.ID, inc *incident.Incident) error {
	if len(inc.Chain) == 0 {
		return nil
	}
	args := make([]any, 0, 4*len(inc.Chain))
	for _, l := range inc.Chain {
		args = append(args, l.Code, nanos(inc.ReportedAt), int64(id), l.Layer)
	}
	q := x.w.rows(`INSERT INTO incident_grids (code, reported_at, incident_id, layer) VALUES `, `(?, ?, ?, ?)`, len(inc.Chain)) +
		` ON CONFLICT DO NOTHING`
	if _, err := x.exec(q, args...); err != nil {
		return fmt.Errorf("index grids of incident %d: %w", id, err)
	}
	return nil
}

// insertSteps stores transitions in one statement and assigns their Seqs:
// one statement of the only writer numbers its rows consecutively.
func insertSteps(x *wtx, ts []incident.Transition) error {
	if len(ts) == 0 {
		return nil
	}
	args := make([]any, 0, 13*len(ts))
	for i := range ts {
		args = append(args, transitionArgs(&ts[i])...)
	}
	q := x.w.rows(`INSERT INTO transitions (`+transitionCols+`) VALUES `, transitionValues, len(ts))
	res, err := x.exec(q, args...)
	if err != nil {
		return fmt.Errorf("insert history of incident %d: %w", ts[0].Incident, err)
	}
	last, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("insert history of incident %d: %w", ts[0].Incident, err)
	}
	for i := range ts {
		ts[i].Seq = uint64(last) - uint64(len(ts)-1-i)
	}
	return nil
}

// insertStep stores a transition and returns its Seq.
func insertStep(x *wtx, t *incident.Transition) (uint64, error) {
	ts := []incident.Transition{*t}
	if err := insertSteps(x, ts); err != nil {
		return 0, err
	}
	t.Seq = ts[0].Seq
	return t.Seq, nil
}

// getIn reads one incident inside the writer's transaction.
func getIn(x *wtx, id incident.ID) (incident.Incident, error) {
	r, err := x.queryRow(`SELECT `+incidentCols+` FROM incidents WHERE id = ?`, int64(id))
	if err != nil {
		return incident.Incident{}, err
	}
	inc, err := scanIncident(r, nil)
	if errors.Is(err, sql.ErrNoRows) {
		return inc, fmt.Errorf("incident %d: %w", id, incident.ErrNotFound)
	}
	return inc, err
}

// CreateMany stores the records of a bulk import, importChunk to a
// transaction, skipping those whose Source+ExternalRef is stored already
// (or earlier in batch); IDs and Seqs are assigned. It returns how many it
// stored; on an error, the chunks before it stay stored.
func (s *Store) CreateMany(ctx context.Context, batch []incident.Record) (int, error) {
	stored := 0
	for len(batch) > 0 {
		chunk := batch[:min(importChunk, len(batch))]
		batch = batch[len(chunk):]
		n := 0
		err := s.w.do(ctx, func(x *wtx) error {
			n = 0
			for i := range chunk {
				r := chunk[i]
				utc(&r.Incident)
				chain, err := encodeChain(r.Incident.Chain)
				if err != nil {
					return err
				}
				ts := append([]incident.Transition(nil), r.Transitions...)
				id, err := insert(x, &r.Incident, chain, ts)
				if err != nil {
					return fmt.Errorf("record %d: %w", stored+i+1, err)
				}
				if id != 0 {
					n++
				}
			}
			return nil
		})
		if err != nil {
			return stored, fmt.Errorf("bulk create: %w", err)
		}
		stored += n
	}
	return stored, nil
}

// Apply stores one step on expect.ID: after, as the incident is after the
// step, and t, if the stored status and UpdatedAt are still expect's (else
// an error wrapping incident.ErrConflict; incident.ErrNotFound when there
// is no such incident). It returns t's Seq.
func (s *Store) Apply(ctx context.Context, expect, after incident.Incident, t incident.Transition) (uint64, error) {
	if after.ID != expect.ID {
		return 0, fmt.Errorf("apply to incident %d: after names incident %d", expect.ID, after.ID)
	}
	utc(&after)
	chain, err := encodeChain(after.Chain)
	if err != nil {
		return 0, err
	}
	var seq uint64
	err = s.w.do(ctx, func(x *wtx) error {
		r, err := x.queryRow(`SELECT status, updated_at, chain, reported_at FROM incidents WHERE id = ?`, int64(expect.ID))
		if err != nil {
			return err
		}
		var (
			status, oldChain  string
			updated, reported int64
		)
		if found, err := one(r.Scan(&status, &updated, &oldChain, &reported)); err != nil {
			return err
		} else if !found {
			return incident.ErrNotFound
		}
		if status != string(expect.Status) || updated != nanos(expect.UpdatedAt) {
			return incident.ErrConflict
		}
		if _, err := x.exec(updateIncident, append(incidentArgs(&after, chain), int64(after.ID))...); err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if chain != oldChain || reported != nanos(after.ReportedAt) {
			if err := reindex(x, &after, oldChain, reported); err != nil {
				return err
			}
		}
		t.Incident = after.ID
		seq, err = insertStep(x, &t)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("apply %s to incident %d: %w", t.Action, expect.ID, err)
	}
	return seq, nil
}

// updateIncident sets every column but id of the incident of the last
// argument.
var updateIncident = `UPDATE incidents SET (` +
	strings.SplitN(incidentCols, ",", 2)[1] + `) = (` +
	strings.TrimSuffix(strings.Repeat("?, ", strings.Count(incidentCols, ",")), ", ") +
	`) WHERE id = ?`

// reindex replaces the grid index of inc (its chain or time changed):
// the rows of oldChain, as stored with the old report time reported, go
// by their primary key.
func reindex(x *wtx, inc *incident.Incident, oldChain string, reported int64) error {
	old, err := decodeChain([]byte(oldChain), nil)
	if err != nil {
		return fmt.Errorf("reindex grids of incident %d: %w", inc.ID, err)
	}
	for _, l := range old {
		if _, err := x.exec(`DELETE FROM incident_grids WHERE code = ? AND reported_at = ? AND incident_id = ?`,
			l.Code, reported, int64(inc.ID)); err != nil {
			return fmt.Errorf("reindex grids of incident %d: %w", inc.ID, err)
		}
	}
	return insertGrids(x, inc.ID, inc)
}

// utc brings inc's times to what the store gives back: UTC, without a
// monotonic reading.
func utc(inc *incident.Incident) {
	for _, p := range [...]*time.Time{&inc.OccurredAt, &inc.ReportedAt, &inc.Deadline, &inc.HandledAt, &inc.ClosedAt, &inc.UpdatedAt} {
		*p = when(nanos(*p))
	}
}
