package sqlitestore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/incident/internal/chains"
)

// incidentCols are the columns of an incident, in the order of scanIncident
// and incidentArgs.
const incidentCols = `id, status, lon, lat, crs, input_lon, input_lat, category, source,
	external_ref, description, reporter_name, reporter_phone, occurred_at, reported_at,
	version, chain, assignee, assignee_grid, escalations, deadline, overdue,
	handled_at, closed_at, rating, updated_at`

// insertIncident stores a new incident; id NULL assigns the next one.
const insertIncident = `INSERT INTO incidents (` + incidentCols + `)
	VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// incidentArgs are the values of inc's columns after id, with its chain
// already encoded as JSON.
func incidentArgs(inc *incident.Incident, chain string) []any {
	return []any{
		string(inc.Status), inc.Lon, inc.Lat, inc.CRS, inc.InputLon, inc.InputLat,
		inc.Category, inc.Source, inc.ExternalRef, inc.Description,
		inc.Reporter.Name, inc.Reporter.Phone, nanos(inc.OccurredAt), nanos(inc.ReportedAt),
		inc.Version, chain, inc.Assignee, inc.AssigneeGrid, inc.Escalations,
		nanos(inc.Deadline), inc.Overdue, nanos(inc.HandledAt), nanos(inc.ClosedAt),
		inc.Rating, nanos(inc.UpdatedAt),
	}
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// chainCache shares the decoded chains of a scan (package chains).
type chainCache = chains.Cache

// scanIncident reads one row of incidentCols; cache, when not nil, shares
// decoded chains.
func scanIncident(r scanner, cache chainCache) (incident.Incident, error) {
	var (
		inc                                   incident.Incident
		status                                string
		chain                                 []byte
		occurred, reported, deadline, handled int64
		closed, updated                       int64
	)
	err := r.Scan(&inc.ID, &status, &inc.Lon, &inc.Lat, &inc.CRS, &inc.InputLon, &inc.InputLat,
		&inc.Category, &inc.Source, &inc.ExternalRef, &inc.Description,
		&inc.Reporter.Name, &inc.Reporter.Phone, &occurred, &reported,
		&inc.Version, &chain, &inc.Assignee, &inc.AssigneeGrid, &inc.Escalations,
		&deadline, &inc.Overdue, &handled, &closed, &inc.Rating, &updated)
	if err != nil {
		return inc, err
	}
	inc.Status = incident.Status(status)
	inc.OccurredAt, inc.ReportedAt, inc.Deadline = when(occurred), when(reported), when(deadline)
	inc.HandledAt, inc.ClosedAt, inc.UpdatedAt = when(handled), when(closed), when(updated)
	if inc.Chain, err = decodeChain(chain, cache); err != nil {
		return inc, fmt.Errorf("incident %d: %w", inc.ID, err)
	}
	return inc, nil
}

// decodeChain decodes a stored chain, through cache when not nil.
func decodeChain(b []byte, cache chainCache) ([]incident.Link, error) { return cache.Decode(b) }

// encodeChain is the stored form of a chain.
func encodeChain(c []incident.Link) (string, error) {
	if c == nil {
		c = []incident.Link{}
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("encode chain: %w", err)
	}
	return string(b), nil
}

// transitionCols are the columns of a transition, in the order of
// scanTransition and transitionArgs.
const transitionCols = `seq, incident_id, action, from_status, to_status, at, actor_key,
	actor_name, actor_role, actor_staff, note, assignee, assignee_grid, rating`

// transitionValues is one row of transitionCols; seq NULL assigns the
// next one.
const transitionValues = `(NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// transitionArgs are the values of t's columns after seq.
func transitionArgs(t *incident.Transition) []any {
	return []any{
		int64(t.Incident), string(t.Action), string(t.From), string(t.To), nanos(t.At),
		t.Actor.KeyID, t.Actor.Name, t.Actor.Role, t.Actor.Staff, t.Note,
		t.Assignee, t.AssigneeGrid, t.Rating,
	}
}

// scanTransition reads one row of transitionCols.
func scanTransition(r scanner) (incident.Transition, error) {
	var (
		t                incident.Transition
		action, from, to string
		at               int64
	)
	err := r.Scan(&t.Seq, &t.Incident, &action, &from, &to, &at, &t.Actor.KeyID,
		&t.Actor.Name, &t.Actor.Role, &t.Actor.Staff, &t.Note, &t.Assignee, &t.AssigneeGrid, &t.Rating)
	t.Action, t.From, t.To, t.At = incident.Action(action), incident.Status(from), incident.Status(to), when(at)
	return t, err
}

// nanos is the stored form of a time: Unix nanoseconds, 0 for the zero
// time.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// when is the time of a stored nanos, in UTC.
func when(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
