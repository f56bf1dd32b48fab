package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/staff"
)

var _ incident.Restorer = (*Store)(nil)

// restoreIncident stores an incident of a given id (the first argument).
const restoreIncident = `INSERT INTO incidents (` + incidentCols + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// RestoreIncidents stores incidents with their IDs (not their history)
// and returns the IDs of those stored already, which it leaves as they
// are; new incidents are numbered after the greatest ID.
func (s *Store) RestoreIncidents(ctx context.Context, incs []incident.Incident) ([]incident.ID, error) {
	var present []incident.ID
	err := s.w.do(ctx, func(x *wtx) error {
		present = present[:0]
		for i := range incs {
			inc := incs[i]
			utc(&inc)
			held, err := exists(x, `SELECT 1 FROM incidents WHERE id = ?`, int64(inc.ID))
			if err != nil {
				return err
			}
			if held {
				present = append(present, inc.ID)
				continue
			}
			chain, err := encodeChain(inc.Chain)
			if err != nil {
				return err
			}
			if _, err := x.exec(restoreIncident, append([]any{int64(inc.ID)}, incidentArgs(&inc, chain)...)...); err != nil {
				return fmt.Errorf("incident %d: %w", inc.ID, err)
			}
			if err := insertGrids(x, inc.ID, &inc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("restore incidents: %w", err)
	}
	return present, nil
}

// exists reports whether query (of one row) finds one.
func exists(x *wtx, query string, args ...any) (bool, error) {
	r, err := x.queryRow(query, args...)
	if err != nil {
		return false, err
	}
	var n int
	return one(r.Scan(&n))
}

// restoreStep stores a transition of a given seq.
const restoreStep = `INSERT INTO transitions (` + transitionCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// RestoreTransitions stores transitions with their Seqs and returns the
// Seqs stored already, which it leaves as they are; new transitions are
// numbered after the greatest Seq.
func (s *Store) RestoreTransitions(ctx context.Context, ts []incident.Transition) ([]uint64, error) {
	var present []uint64
	err := s.w.do(ctx, func(x *wtx) error {
		present = present[:0]
		for _, t := range ts {
			held, err := exists(x, `SELECT 1 FROM transitions WHERE seq = ?`, int64(t.Seq))
			if err != nil {
				return err
			}
			if held {
				present = append(present, t.Seq)
				continue
			}
			t.At = when(nanos(t.At))
			if _, err := x.exec(restoreStep, append([]any{int64(t.Seq)}, transitionArgs(&t)...)...); err != nil {
				return fmt.Errorf("transition %d: %w", t.Seq, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("restore transitions: %w", err)
	}
	return present, nil
}

// RestoreKeys stores idempotency keys and returns those stored already,
// as stored.
func (s *Store) RestoreKeys(ctx context.Context, keys []incident.Key) ([]incident.Key, error) {
	var present []incident.Key
	err := s.w.do(ctx, func(x *wtx) error {
		present = present[:0]
		for _, k := range keys {
			r, err := x.queryRow(`SELECT incident_id FROM idempotency WHERE key = ?`, k.Key)
			if err != nil {
				return err
			}
			var id incident.ID
			if held, err := one(r.Scan(&id)); err != nil {
				return err
			} else if held {
				present = append(present, incident.Key{Key: k.Key, Incident: id})
				continue
			}
			if _, err := x.exec(`INSERT INTO idempotency (key, incident_id) VALUES (?, ?)`, k.Key, int64(k.Incident)); err != nil {
				return fmt.Errorf("key of incident %d: %w", k.Incident, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("restore idempotency keys: %w", err)
	}
	return present, nil
}

// Keys returns the idempotency keys after after (in byte order), at most
// limit.
func (s *Store) Keys(ctx context.Context, after string, limit int) ([]incident.Key, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT key, incident_id FROM idempotency WHERE key > ? ORDER BY key LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("idempotency keys: %w", err)
	}
	defer rows.Close()
	var out []incident.Key
	for rows.Next() {
		var k incident.Key
		if err := rows.Scan(&k.Key, &k.Incident); err != nil {
			return nil, fmt.Errorf("idempotency keys: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("idempotency keys: %w", err)
	}
	return out, nil
}

// RestoreRoster stores r under its version as given (ID "rN", Created,
// Source, SHA256; made the active one when Active) and reports whether
// that version was stored already (then it writes nothing).
func (s *Store) RestoreRoster(ctx context.Context, r *staff.Roster) (bool, error) {
	n, err := strconv.ParseInt(strings.TrimPrefix(r.Version.ID, "r"), 10, 64)
	if err != nil || n <= 0 || !strings.HasPrefix(r.Version.ID, "r") {
		return false, fmt.Errorf("restore roster %q: not a version id of the form r1, r2…", r.Version.ID)
	}
	roles, err := json.Marshal(r.Roles)
	if err != nil {
		return false, fmt.Errorf("restore roster %s: %w", r.Version.ID, err)
	}
	v := r.Version
	present := false
	err = s.w.do(ctx, func(x *wtx) error {
		var err error
		if present, err = exists(x, `SELECT 1 FROM rosters WHERE id = ?`, v.ID); err != nil || present {
			return err
		}
		if v.Active {
			if _, err := x.exec(`UPDATE rosters SET active = 0 WHERE active <> 0`); err != nil {
				return err
			}
		}
		if _, err := x.exec(`INSERT INTO rosters (n, id, created, source, sha256, people, active, roles) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			n, v.ID, nanos(v.Created), v.Source, v.SHA256, len(r.People), v.Active, string(roles)); err != nil {
			return err
		}
		return insertPeople(x, n, r.People)
	})
	if err != nil {
		return false, fmt.Errorf("restore roster %s: %w", v.ID, err)
	}
	return present, nil
}
