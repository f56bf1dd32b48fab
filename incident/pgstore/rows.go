package pgstore

import (
	"fmt"
	"strings"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/internal/chains"
	"github.com/jackc/pgx/v5"
)

// incidentCols are the columns of an incident, in the order of
// scanIncident and incidentArgs (id first).
const incidentCols = `id, status, lon, lat, crs, input_lon, input_lat, category, source,
	external_ref, description, reporter_name, reporter_phone, occurred_at, reported_at,
	version, chain, assignee, assignee_grid, escalations, deadline, overdue,
	handled_at, closed_at, rating, updated_at`

// placeholders returns "$from, …, $(from+n-1)".
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

// incidentColCount is how many columns incidentCols names.
var incidentColCount = strings.Count(incidentCols, ",") + 1

// insertIncident stores a new incident with the next id ($1..$25: the
// columns after id), or nothing when its source and external reference
// are stored already; it returns the id.
var insertIncident = `INSERT INTO incidents (` + strings.SplitN(incidentCols, ",", 2)[1] + `)
	VALUES (` + placeholders(1, incidentColCount-1) + `)
	ON CONFLICT (source, external_ref) WHERE external_ref <> '' DO NOTHING RETURNING id`

// insertIncidentGrids stores a new incident ($1..$25 as insertIncident)
// with the grids of the codes and layers of $26 and $27 and, when $28 is
// not empty, the idempotency key $28 naming it; it returns the id.
var insertIncidentGrids = `WITH i AS (
		INSERT INTO incidents (` + strings.SplitN(incidentCols, ",", 2)[1] + `)
		VALUES (` + placeholders(1, incidentColCount-1) + `) RETURNING id),
	g AS (INSERT INTO incident_grids (code, reported_at, incident_id, layer)
		SELECT c, $14, i.id, l FROM i, unnest($26::text[], $27::text[]) AS u(c, l) ON CONFLICT DO NOTHING),
	k AS (INSERT INTO idempotency (key, incident_id) SELECT $28, i.id FROM i WHERE $28 <> '')
	SELECT id FROM i`

// incidentArgs are the values of inc's columns after id. Zero times are
// NULL; the chain goes as JSON.
func incidentArgs(inc *incident.Incident) []any {
	chain := inc.Chain
	if chain == nil {
		chain = []incident.Link{}
	}
	return []any{
		string(inc.Status), inc.Lon, inc.Lat, inc.CRS, inc.InputLon, inc.InputLat,
		inc.Category, inc.Source, inc.ExternalRef, inc.Description,
		inc.Reporter.Name, inc.Reporter.Phone, null(inc.OccurredAt), inc.ReportedAt,
		inc.Version, chain, inc.Assignee, inc.AssigneeGrid, inc.Escalations,
		null(inc.Deadline), inc.Overdue, null(inc.HandledAt), null(inc.ClosedAt),
		inc.Rating, inc.UpdatedAt,
	}
}

// chainCache shares the decoded chains of a scan (package chains).
type chainCache = chains.Cache

// scanIncident reads one row of incidentCols; cache, when not nil, shares
// decoded chains.
func scanIncident(r pgx.Row, cache chainCache) (incident.Incident, error) {
	var (
		inc                                 incident.Incident
		status                              string
		chain                               []byte
		occurred, deadline, handled, closed *time.Time
	)
	err := r.Scan(&inc.ID, &status, &inc.Lon, &inc.Lat, &inc.CRS, &inc.InputLon, &inc.InputLat,
		&inc.Category, &inc.Source, &inc.ExternalRef, &inc.Description,
		&inc.Reporter.Name, &inc.Reporter.Phone, &occurred, &inc.ReportedAt,
		&inc.Version, &chain, &inc.Assignee, &inc.AssigneeGrid, &inc.Escalations,
		&deadline, &inc.Overdue, &handled, &closed, &inc.Rating, &inc.UpdatedAt)
	if err != nil {
		return inc, err
	}
	inc.Status = incident.Status(status)
	inc.OccurredAt, inc.Deadline, inc.HandledAt, inc.ClosedAt = deref(occurred), deref(deadline), deref(handled), deref(closed)
	inc.ReportedAt, inc.UpdatedAt = inc.ReportedAt.UTC(), inc.UpdatedAt.UTC()
	if inc.Chain, err = decodeChain(chain, cache); err != nil {
		return inc, fmt.Errorf("incident %d: %w", inc.ID, err)
	}
	return inc, nil
}

// decodeChain decodes a stored chain, through cache when not nil.
func decodeChain(b []byte, cache chainCache) ([]incident.Link, error) { return cache.Decode(b) }

// transitionCols are the columns of a transition, in the order of
// scanTransition and transitionArgs.
const transitionCols = `seq, incident_id, action, from_status, to_status, at, actor_key,
	actor_name, actor_role, actor_staff, note, assignee, assignee_grid, rating`

// transitionColumns are transitionCols as a list (for CopyFrom).
var transitionColumns = func() []string {
	cols := strings.Split(transitionCols, ",")
	for i := range cols {
		cols[i] = strings.TrimSpace(cols[i])
	}
	return cols
}()

// insertTransition stores one transition of transitionCols.
var insertTransition = `INSERT INTO transitions (` + transitionCols + `) VALUES (` +
	placeholders(1, len(transitionColumns)) + `)`

// transitionArgs are the values of t's columns.
func transitionArgs(t *incident.Transition) []any {
	return []any{
		int64(t.Seq), int64(t.Incident), string(t.Action), string(t.From), string(t.To), t.At,
		t.Actor.KeyID, t.Actor.Name, t.Actor.Role, t.Actor.Staff, t.Note,
		t.Assignee, t.AssigneeGrid, t.Rating,
	}
}

// scanTransition reads one row of transitionCols.
func scanTransition(r pgx.Row) (incident.Transition, error) {
	var (
		t                incident.Transition
		action, from, to string
	)
	err := r.Scan(&t.Seq, &t.Incident, &action, &from, &to, &t.At, &t.Actor.KeyID,
		&t.Actor.Name, &t.Actor.Role, &t.Actor.Staff, &t.Note, &t.Assignee, &t.AssigneeGrid, &t.Rating)
	t.Action, t.From, t.To, t.At = incident.Action(action), incident.Status(from), incident.Status(to), t.At.UTC()
	return t, err
}

// null is t for a timestamptz parameter, nil (NULL) for the zero time.
func null(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// deref is the time of a nullable column, the zero time for NULL, in UTC.
func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// truncate brings inc's times to what the store gives back: UTC,
// microseconds, no monotonic reading.
func truncate(inc *incident.Incident) {
	for _, p := range [...]*time.Time{&inc.OccurredAt, &inc.ReportedAt, &inc.Deadline, &inc.HandledAt, &inc.ClosedAt, &inc.UpdatedAt} {
		*p = micro(*p)
	}
}

// micro is t in UTC, truncated to the microsecond (the zero time stays
// zero).
func micro(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}
