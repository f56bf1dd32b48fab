package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/staff"
)

// PutRoster stores r as a new version ("r1", "r2"… in order) with r's
// Source, SHA256 and Roles, makes it the active one and returns its
// version (Created: r's, or now when zero).
func (s *Store) PutRoster(ctx context.Context, r *staff.Roster) (staff.Version, error) {
	roles, err := json.Marshal(r.Roles)
	if err != nil {
		return staff.Version{}, fmt.Errorf("store roster: %w", err)
	}
	v := r.Version
	if v.Created.IsZero() {
		v.Created = time.Now()
	}
	v.Created = when(nanos(v.Created))
	v.People, v.Active = len(r.People), true
	err = s.w.do(ctx, func(x *wtx) error {
		var n int64
		row, err := x.queryRow(`SELECT COALESCE(MAX(n), 0) + 1 FROM rosters`)
		if err != nil {
			return err
		}
		if err := row.Scan(&n); err != nil {
			return err
		}
		v.ID = "r" + strconv.FormatInt(n, 10)
		if _, err := x.exec(`UPDATE rosters SET active = 0 WHERE active <> 0`); err != nil {
			return err
		}
		if _, err := x.exec(`INSERT INTO rosters (n, id, created, source, sha256, people, active, roles) VALUES (?, ?, ?, ?, ?, ?, 1, ?)`,
			n, v.ID, nanos(v.Created), v.Source, v.SHA256, v.People, string(roles)); err != nil {
			return err
		}
		return insertPeople(x, n, r.People)
	})
	if err != nil {
		return staff.Version{}, fmt.Errorf("store roster: %w", err)
	}
	return v, nil
}

// insertPeople stores the people of roster n in their order.
func insertPeople(x *wtx, n int64, people []staff.Person) error {
	for i, p := range people {
		if _, err := x.exec(`INSERT INTO staff (roster_n, ord, grid, id, name, role, phone) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			n, i, p.Grid, p.ID, p.Name, p.Role, p.Phone); err != nil {
			return fmt.Errorf("person %d: %w", i+1, err)
		}
	}
	return nil
}

// rosterCols are the columns of a roster version, in scanVersion's order.
const rosterCols = `n, id, created, source, sha256, people, active, roles`

// Roster returns the roster of version id, or the active one when id is
// "" (an empty roster when none was ever stored). An unknown id is an
// error wrapping incident.ErrNotFound.
func (s *Store) Roster(ctx context.Context, id string) (*staff.Roster, error) {
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("read roster: %w", err)
	}
	defer tx.Rollback()
	q, args := `SELECT `+rosterCols+` FROM rosters WHERE active <> 0`, []any{}
	if id != "" {
		q, args = `SELECT `+rosterCols+` FROM rosters WHERE id = ?`, []any{id}
	}
	r := &staff.Roster{}
	n, err := scanVersion(tx.QueryRowContext(ctx, q, args...), &r.Version, &r.Roles)
	switch {
	case errors.Is(err, sql.ErrNoRows) && id == "":
		return r, nil
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("roster %q: %w", id, incident.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("read roster: %w", err)
	}
	if r.People, err = people(ctx, tx, n); err != nil {
		return nil, fmt.Errorf("read roster %s: %w", r.Version.ID, err)
	}
	return r, nil
}

// people reads the staff of roster n in the file's order.
func people(ctx context.Context, tx *sql.Tx, n int64) ([]staff.Person, error) {
	rows, err := tx.QueryContext(ctx, `SELECT grid, id, name, role, phone FROM staff WHERE roster_n = ? ORDER BY ord`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []staff.Person
	for rows.Next() {
		var p staff.Person
		if err := rows.Scan(&p.Grid, &p.ID, &p.Name, &p.Role, &p.Phone); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Rosters lists the roster versions, newest first.
func (s *Store) Rosters(ctx context.Context) ([]staff.Version, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+rosterCols+` FROM rosters ORDER BY n DESC`)
	if err != nil {
		return nil, fmt.Errorf("list rosters: %w", err)
	}
	defer rows.Close()
	var out []staff.Version
	for rows.Next() {
		var v staff.Version
		if _, err := scanVersion(rows, &v, nil); err != nil {
			return nil, fmt.Errorf("list rosters: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list rosters: %w", err)
	}
	return out, nil
}

// scanVersion reads one row of rosterCols into v and, when not nil, roles;
// it returns the roster's number.
func scanVersion(r scanner, v *staff.Version, roles *staff.Roles) (int64, error) {
	var (
		n, created int64
		rj         string
	)
	if err := r.Scan(&n, &v.ID, &created, &v.Source, &v.SHA256, &v.People, &v.Active, &rj); err != nil {
		return 0, err
	}
	v.Created = when(created)
	if roles != nil {
		if err := json.Unmarshal([]byte(rj), roles); err != nil {
			return 0, fmt.Errorf("stored roles of roster %s: %w", v.ID, err)
		}
	}
	return n, nil
}
