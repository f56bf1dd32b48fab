package sqlitestore

import (
	"context"
	"fmt"
	"strings"

	"github.com/gridmap/gridmap/incident"
)

// List returns the incidents that pass f, newest ReportedAt first (ties:
// higher ID first), at most f.Limit (0: incident.DefaultLimit; at most
// incident.MaxLimit), and the cursor of the next page ("" at the end). A
// malformed f.Cursor is an *incident.FieldError of field "cursor".
func (s *Store) List(ctx context.Context, f incident.Filter) ([]incident.Incident, string, error) {
	limit := f.PageLimit()
	q, args, err := listQuery(f, limit+1)
	if err != nil {
		return nil, "", err
	}
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, "", fmt.Errorf("list incidents: %w", err)
	}
	defer rows.Close()
	cache := chainCache{}
	var out []incident.Incident
	for rows.Next() {
		inc, err := scanIncident(rows, cache)
		if err != nil {
			return nil, "", fmt.Errorf("list incidents: %w", err)
		}
		out = append(out, inc)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list incidents: %w", err)
	}
	if len(out) <= limit {
		return out, "", nil
	}
	out = out[:limit]
	last := out[limit-1]
	return out, cursor{reported: nanos(last.ReportedAt), id: int64(last.ID)}.String(), nil
}

// listQuery is the SQL of a page of f of at most limit rows. With a grid
// the listing walks incident_grids' index range of the code; with grids
// (f.Grids), gridsQuery; without, the incidents' own indexes.
func listQuery(f incident.Filter, limit int) (string, []any, error) {
	if f.Grids != nil {
		return gridsQuery(f, limit)
	}
	from, key := `incidents i`, `i.reported_at, i.id`
	if f.Grid != "" {
		from, key = `incident_grids g JOIN incidents i ON i.id = g.incident_id`, `g.reported_at, g.incident_id`
	}
	where, args, err := conds(f, key, f.Grid)
	if err != nil {
		return "", nil, err
	}
	return `SELECT ` + prefixed(incidentCols, "i.") + ` FROM ` + from + where + order(key) + ` LIMIT ?`, append(args, limit), nil
}

// gridsQuery is the SQL of a page of f by f.Grids: per code, the first
// limit rows of its index range of incident_grids that pass f (each walked
// newest first, none sorted), their keys sorted newest first (at most
// limit a code), then the page's rows read by id. With a plain IN list of codes SQLite walks the
// codes one after another and sorts every match instead (a town's
// thousands); a compound ORDER BY sorts each branch again.
func gridsQuery(f incident.Filter, limit int) (string, []any, error) {
	if len(f.Grids) == 0 {
		return `SELECT ` + incidentCols + ` FROM incidents WHERE 0 LIMIT ?`, []any{limit}, nil
	}
	const key = `g.reported_at, g.incident_id`
	var (
		parts []string
		args  []any
	)
	for _, code := range f.Grids {
		where, a, err := conds(f, key, code)
		if err != nil {
			return "", nil, err
		}
		parts = append(parts, `SELECT * FROM (SELECT g.reported_at AS k_at, g.incident_id AS k_id`+
			` FROM incident_grids g JOIN incidents i ON i.id = g.incident_id`+where+order(key)+` LIMIT ?)`)
		args = append(append(args, a...), limit)
	}
	q := `SELECT ` + prefixed(incidentCols, "i.") + ` FROM (SELECT * FROM (` + strings.Join(parts, ` UNION ALL `) + `)` +
		order(`k_at, k_id`) + ` LIMIT ?) k JOIN incidents i ON i.id = k.k_id` + order(`k.k_at, k.k_id`)
	return q, append(args, limit), nil
}

// conds is the WHERE clause of f (with a leading space; "" when none) and
// its arguments, for a listing ordered by key ("x.reported_at, x.id"); grid,
// when not "", is the code walked in incident_grids g. When f has both Grid
// and Grids, grid is a code of Grids and f.Grid is looked up by
// incident_grids' primary key.
func conds(f incident.Filter, key, grid string) (string, []any, error) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if grid != "" {
		add(`g.code = ?`, grid)
	}
	if f.Grid != "" && f.Grid != grid {
		add(`EXISTS (SELECT 1 FROM incident_grids h WHERE h.code = ? AND h.reported_at = i.reported_at AND h.incident_id = i.id)`, f.Grid)
	}
	if len(f.Status) > 0 {
		add(`i.status IN (`+marks(len(f.Status))+`)`, strs(f.Status)...)
	}
	if len(f.Category) > 0 {
		add(`i.category IN (`+marks(len(f.Category))+`)`, strs(f.Category)...)
	}
	if len(f.Source) > 0 {
		add(`i.source IN (`+marks(len(f.Source))+`)`, strs(f.Source)...)
	}
	first := strings.SplitN(key, ",", 2)[0]
	if !f.From.IsZero() {
		add(first+` >= ?`, nanos(f.From))
	}
	if !f.To.IsZero() {
		add(first+` < ?`, nanos(f.To))
	}
	if b := f.BBox; b != nil {
		add(`i.lon BETWEEN ? AND ? AND i.lat BETWEEN ? AND ?`, b[0], b[2], b[1], b[3])
	}
	if f.Overdue != nil {
		// literal, so that the planner can take the partial index
		// incidents_overdue (only overdue incidents)
		if *f.Overdue {
			add(`i.overdue <> 0`)
		} else {
			add(`i.overdue = 0`)
		}
	}
	if f.Assignee != "" {
		// the term of the partial index incidents_assignee, so that the
		// planner takes it (it does not infer it from assignee = ?)
		add(`i.assignee = ? AND i.assignee <> ''`, f.Assignee)
	}
	if f.Cursor != "" {
		c, err := parseCursor(f.Cursor)
		if err != nil {
			return "", nil, err
		}
		add(`(`+key+`) < (?, ?)`, c.reported, c.id)
	}
	if len(where) == 0 {
		return "", nil, nil
	}
	return ` WHERE ` + strings.Join(where, ` AND `), args, nil
}

// order is the ORDER BY clause of a listing by key, newest first.
func order(key string) string {
	return ` ORDER BY ` + strings.ReplaceAll(key, ",", " DESC,") + ` DESC`
}

// marks is n comma-separated placeholders.
func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// strs turns a list of strings (or string types) into query arguments.
func strs[S ~string](list []S) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = string(s)
	}
	return out
}

// prefixed qualifies each of the comma-separated columns with p.
func prefixed(cols, p string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
