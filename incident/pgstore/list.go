package pgstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/incident"
	"github.com/jackc/pgx/v5"
)

// List returns the incidents that pass f, newest ReportedAt first (ties:
// higher ID first), at most f.Limit (0: incident.DefaultLimit; at most
// incident.MaxLimit), and the cursor of the next page ("" at the end). A
// malformed f.Cursor is an *incident.FieldError of field "cursor".
func (s *Store) List(ctx context.Context, f incident.Filter) ([]incident.Incident, string, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = incident.DefaultLimit
	}
	limit = min(limit, incident.MaxLimit)
	if f.Grids != nil && len(f.Grids) == 0 {
		return nil, "", nil
	}
	q := &query{}
	if err := q.listing(f, limit+1); err != nil {
		return nil, "", err
	}
	rows, err := s.pool.Query(ctx, q.sql.String(), q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("list incidents: %w", wrap(err))
	}
	cache := chainCache{}
	out, err := collect(rows, func(r pgx.CollectableRow) (incident.Incident, error) { return scanIncident(r, cache) })
	if err != nil {
		return nil, "", fmt.Errorf("list incidents: %w", wrap(err))
	}
	if len(out) <= limit {
		return out, "", nil
	}
	out = out[:limit]
	last := out[limit-1]
	return out, cursor{reported: last.ReportedAt, id: last.ID}.String(), nil
}

// query is SQL being written and its arguments.
type query struct {
	sql  strings.Builder
	args []any
}

// arg adds an argument and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// listing writes the SELECT of a page of f of at most limit rows. With
// f.Grids it takes, per code, the first limit keys of its range of
// incident_grids that pass f (each walked newest first by the primary
// key), sorts those and reads the page's rows; with f.Grid it walks that
// code's range; else the incidents' own indexes.
func (q *query) listing(f incident.Filter, limit int) error {
	w := &q.sql
	cols := prefixed("i.")
	if f.Grids != nil {
		w.WriteString(`SELECT ` + cols + ` FROM unnest(` + q.arg(f.Grids) + `::text[]) AS c(code)
			CROSS JOIN LATERAL (SELECT g.reported_at, g.incident_id FROM incident_grids g JOIN incidents i ON i.id = g.incident_id`)
		if err := q.where(f, "g", "c.code"); err != nil {
			return err
		}
		lim := q.arg(limit)
		w.WriteString(` ORDER BY g.reported_at DESC, g.incident_id DESC LIMIT ` + lim + `) k
			JOIN incidents i ON i.id = k.incident_id ORDER BY k.reported_at DESC, k.incident_id DESC LIMIT ` + lim)
		return nil
	}
	if f.Grid != "" {
		w.WriteString(`SELECT ` + cols + ` FROM incident_grids g JOIN incidents i ON i.id = g.incident_id`)
		if err := q.where(f, "g", q.arg(f.Grid)); err != nil {
			return err
		}
		w.WriteString(` ORDER BY g.reported_at DESC, g.incident_id DESC LIMIT ` + q.arg(limit))
		return nil
	}
	w.WriteString(`SELECT ` + cols + ` FROM incidents i`)
	if err := q.where(f, "", ""); err != nil {
		return err
	}
	w.WriteString(` ORDER BY i.reported_at DESC, i.id DESC LIMIT ` + q.arg(limit))
	return nil
}

// where writes the WHERE clause of f. When g is "g" the listing walks
// incident_grids g at code (an expression), keyed by g's reported_at and
// incident_id; else incidents i by its own. f.Grid, when g walks another
// code (one of f.Grids), is looked up by incident_grids' primary key.
func (q *query) where(f incident.Filter, g, code string) error {
	var conds []string
	add := func(c string) { conds = append(conds, c) }
	at, id := "i.reported_at", "i.id"
	if g != "" {
		at, id = "g.reported_at", "g.incident_id"
		add("g.code = " + code)
		if f.Grid != "" && f.Grids != nil {
			add(`EXISTS (SELECT 1 FROM incident_grids h WHERE h.code = ` + q.arg(f.Grid) +
				` AND h.reported_at = i.reported_at AND h.incident_id = i.id)`)
		}
	}
	if len(f.Status) > 0 {
		add("i.status = ANY(" + q.arg(strs(f.Status)) + ")")
	}
	if len(f.Category) > 0 {
		add("i.category = ANY(" + q.arg(f.Category) + ")")
	}
	if len(f.Source) > 0 {
		add("i.source = ANY(" + q.arg(f.Source) + ")")
	}
	if !f.From.IsZero() {
		add(at + " >= " + q.arg(f.From))
	}
	if !f.To.IsZero() {
		add(at + " < " + q.arg(f.To))
	}
	if b := f.BBox; b != nil {
		// && on the GiST index (its boxes are rounded outward), then the
		// exact bounds, edges included
		x0, y0, x1, y1 := q.arg(b[0]), q.arg(b[1]), q.arg(b[2]), q.arg(b[3])
		add("i.point && ST_MakeEnvelope(" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + ", 4326)" +
			" AND i.lon BETWEEN " + x0 + " AND " + x1 + " AND i.lat BETWEEN " + y0 + " AND " + y1)
	}
	if f.Overdue != nil {
		// literal, so that the planner can take the partial index
		// incidents_overdue
		add(map[bool]string{true: "i.overdue", false: "NOT i.overdue"}[*f.Overdue])
	}
	if f.Assignee != "" {
		// the partial index incidents_assignee's own term too
		add("i.assignee = " + q.arg(f.Assignee) + " AND i.assignee <> ''")
	}
	if f.Cursor != "" {
		c, err := parseCursor(f.Cursor)
		if err != nil {
			return err
		}
		add("(" + at + ", " + id + ") < (" + q.arg(c.reported) + ", " + q.arg(int64(c.id)) + ")")
	}
	if len(conds) > 0 {
		q.sql.WriteString(" WHERE " + strings.Join(conds, " AND "))
	}
	return nil
}

// prefixed is incidentCols, each qualified with p.
func prefixed(p string) string {
	parts := strings.Split(incidentCols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// strs turns a list of string types into strings.
func strs[S ~string](list []S) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = string(s)
	}
	return out
}
