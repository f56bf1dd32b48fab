package server

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/lookup/decimal"
)

// The query parameters of the incident lists (routeParams).
var (
	incidentListParams = []string{"grid", "status", "category", "source", "from", "to", "bbox", "overdue", "assignee", "cursor", "limit"}
	myIncidentsParams  = []string{"status", "category", "source", "from", "to", "overdue", "cursor", "limit"}
)

// parseFilter reads the filter of an incident list from its query: grid
// (a code of any layer), status, category and source (comma-separated,
// any of), from and to (RFC 3339 times or dates, reported in [from, to)),
// bbox (minLon,minLat,maxLon,maxLat, WGS84), overdue (true or false),
// assignee (a staff id), cursor and limit (1–incident.MaxLimit). A bad
// value is a 400 naming its parameter.
func parseFilter(q url.Values) (incident.Filter, error) {
	f := incident.Filter{Grid: q.Get("grid"), Assignee: q.Get("assignee"), Cursor: q.Get("cursor"),
		Category: list(q.Get("category")), Source: list(q.Get("source"))}
	for _, st := range list(q.Get("status")) {
		if !incident.Status(st).Valid() {
			return f, badParam("status", "unknown status %q (statuses: %s)", st, statusNames())
		}
		f.Status = append(f.Status, incident.Status(st))
	}
	var err error
	if f.From, err = timeParam(q, "from"); err != nil {
		return f, err
	}
	if f.To, err = timeParam(q, "to"); err != nil {
		return f, err
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return f, badParam("to", "to=%s is not after from=%s", q.Get("to"), q.Get("from"))
	}
	if v := q.Get("bbox"); v != "" {
		b, ok := parseBBox(v)
		if !ok {
			return f, badParam("bbox", "bbox=%q: want minLon,minLat,maxLon,maxLat in WGS84 degrees, min below max", v)
		}
		f.BBox = &b
	}
	if v := q.Get("overdue"); v != "" {
		o, err := strconv.ParseBool(v)
		if err != nil {
			return f, badParam("overdue", "overdue=%q: want true or false", v)
		}
		f.Overdue = &o
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > incident.MaxLimit {
			return f, badParam("limit", "limit=%q: want a number from 1 to %d", v, incident.MaxLimit)
		}
		f.Limit = n
	}
	return f, nil
}

// list splits a comma-separated parameter value, dropping empty items.
func list(v string) []string {
	var out []string
	for item := range strings.SplitSeq(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// statusNames lists the statuses of the loop, comma-separated.
func statusNames() string {
	names := make([]string, len(incident.Statuses))
	for i, st := range incident.Statuses {
		names[i] = string(st)
	}
	return strings.Join(names, ", ")
}

// timeParam reads the time parameter key: RFC 3339, or a date
// (2025-06-01, midnight in China Standard Time, the places' own time).
func timeParam(q url.Values, key string) (time.Time, error) {
	v := q.Get(key)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, chinaTime); err == nil {
		return t, nil
	}
	return time.Time{}, badParam(key, "%s=%q: want an RFC 3339 time (2025-06-01T08:00:00+08:00) or a date (2025-06-01)", key, v)
}

// chinaTime is UTC+8, the time of the places' dates (no daylight saving).
var chinaTime = time.FixedZone("CST", 8*3600)

// parseBBox reads minLon,minLat,maxLon,maxLat (WGS84 degrees).
func parseBBox(v string) ([4]float64, bool) {
	var b [4]float64
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return b, false
	}
	for i, p := range parts {
		f, ok := decimal.Parse(strings.TrimSpace(p))
		if !ok {
			return b, false
		}
		b[i] = f
	}
	ok := b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90 && b[0] < b[2] && b[1] < b[3]
	return b, ok
}
