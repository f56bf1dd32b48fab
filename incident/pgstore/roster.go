package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/staff"
	"github.com/jackc/pgx/v5"
)

// lockRoster serialises the roster writes (key 0): each takes the next
// number.
const lockRoster = lockSeq + 1

// PutRoster stores r as a new version ("r1", "r2"… in order) with r's
// Source, SHA256 and Roles, makes it the active one and returns its
// version (Created: r's, or now when zero; to the microsecond).
func (s *Store) PutRoster(ctx context.Context, r *staff.Roster) (staff.Version, error) {
	v := r.Version
	if v.Created.IsZero() {
		v.Created = time.Now()
	}
	v.Created = micro(v.Created)
	v.People, v.Active = len(r.People), true
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, lockRoster); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(max(n), 0) + 1 FROM rosters`).Scan(&n); err != nil {
			return err
		}
		v.ID = "r" + strconv.Itoa(n)
		return insertRoster(ctx, tx, n, v, r)
	})
	if err != nil {
		return staff.Version{}, fmt.Errorf("store roster: %w", err)
	}
	return v, nil
}

// insertRoster stores roster r as version v of number n (made the active
// one when v.Active) with its people.
func insertRoster(ctx context.Context, tx pgx.Tx, n int, v staff.Version, r *staff.Roster) error {
	if v.Active {
		if _, err := tx.Exec(ctx, `UPDATE rosters SET active = false WHERE active`); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO rosters (n, id, created, source, sha256, people, active, roles) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		n, v.ID, v.Created, v.Source, v.SHA256, len(r.People), v.Active, r.Roles); err != nil {
		return err
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"staff"}, []string{"roster_n", "ord", "grid", "id", "name", "role", "phone"},
		pgx.CopyFromSlice(len(r.People), func(i int) ([]any, error) {
			p := r.People[i]
			return []any{n, i, p.Grid, p.ID, p.Name, p.Role, p.Phone}, nil
		}))
	if err != nil {
		return fmt.Errorf("staff of roster %s: %w", v.ID, err)
	}
	return nil
}

// rosterCols are the columns of a roster version, in scanVersion's order.
const rosterCols = `n, id, created, source, sha256, people, active, roles`

// Roster returns the roster of version id, or the active one when id is
// "" (an empty roster when none was ever stored). An unknown id is an
// error wrapping incident.ErrNotFound.
func (s *Store) Roster(ctx context.Context, id string) (*staff.Roster, error) {
	r := &staff.Roster{}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		q, args := `SELECT `+rosterCols+` FROM rosters WHERE active`, []any{}
		if id != "" {
			q, args = `SELECT `+rosterCols+` FROM rosters WHERE id = $1`, []any{id}
		}
		n, err := scanVersion(tx.QueryRow(ctx, q, args...), &r.Version, &r.Roles)
		switch {
		case errors.Is(err, pgx.ErrNoRows) && id == "":
			return nil
		case errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("roster %q: %w", id, incident.ErrNotFound)
		case err != nil:
			return err
		}
		rows, err := tx.Query(ctx, `SELECT grid, id, name, role, phone FROM staff WHERE roster_n = $1 ORDER BY ord`, n)
		if err != nil {
			return err
		}
		r.People, err = collect(rows, func(row pgx.CollectableRow) (staff.Person, error) {
			var p staff.Person
			err := row.Scan(&p.Grid, &p.ID, &p.Name, &p.Role, &p.Phone)
			return p, err
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read roster: %w", wrap(err))
	}
	return r, nil
}

// Rosters lists the roster versions, newest first.
func (s *Store) Rosters(ctx context.Context) ([]staff.Version, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+rosterCols+` FROM rosters ORDER BY n DESC`)
	if err != nil {
		return nil, fmt.Errorf("list rosters: %w", wrap(err))
	}
	out, err := collect(rows, func(row pgx.CollectableRow) (staff.Version, error) {
		var v staff.Version
		_, err := scanVersion(row, &v, nil)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("list rosters: %w", wrap(err))
	}
	return out, nil
}

// scanVersion reads one row of rosterCols into v and, when not nil, roles;
// it returns the roster's number.
func scanVersion(r pgx.Row, v *staff.Version, roles *staff.Roles) (int, error) {
	var (
		n  int
		rj []byte
	)
	if err := r.Scan(&n, &v.ID, &v.Created, &v.Source, &v.SHA256, &v.People, &v.Active, &rj); err != nil {
		return 0, err
	}
	v.Created = v.Created.UTC()
	if roles != nil {
		if err := json.Unmarshal(rj, roles); err != nil {
			return 0, fmt.Errorf("stored roles of roster %s: %w", v.ID, err)
		}
	}
	return n, nil
}
