package server

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/lookup"
	"github.com/labstack/echo/v4"
)

// Caps on the text of a report, in characters.
const (
	maxShortText   = 64   // category, source, reporter's name
	maxExternalRef = 128  // the source system's own id
	maxDescription = 4000 // the description, a note
	maxPhone       = 32
	maxIdemKey     = 128
)

// incidents returns the incident service, or the 503 of a server without
// one.
func (s *Server) incidents() (*incident.Service, error) {
	if s.opts.Incidents == nil {
		return nil, &Error{Status: http.StatusServiceUnavailable, Code: "no_incidents", Message: "this server keeps no incidents"}
	}
	return s.opts.Incidents, nil
}

// notYet answers a route whose handler is still being written (the
// incident tiles until part tiles lands).
func notYet(echo.Context) error {
	return &Error{Status: http.StatusNotImplemented, Code: "not_implemented", Message: "not written yet"}
}

// reportBody is the JSON of POST /api/v1/incidents.
type reportBody struct {
	Lon         *float64          `json:"lon"`
	Lat         *float64          `json:"lat"`
	CRS         string            `json:"crs"`
	Category    string            `json:"category"`
	Source      string            `json:"source"`
	ExternalRef string            `json:"external_ref"`
	Description string            `json:"description"`
	Reporter    incident.Reporter `json:"reporter"`
	OccurredAt  string            `json:"occurred_at"`
}

// decodeReport reads and checks the body of a report: lon and lat
// (required, in crs, default WGS84), category and source (required), the
// rest optional; every text capped. A bad member is a 400 naming it.
func decodeReport(body io.Reader) (incident.NewIncident, error) {
	var b reportBody
	if err := decodeBody(body, &b, false); err != nil {
		return incident.NewIncident{}, err
	}
	return b.check()
}

// check returns the report of b or the error of its first bad member.
func (b *reportBody) check() (incident.NewIncident, error) {
	in := incident.NewIncident{CRS: b.CRS, Category: strings.TrimSpace(b.Category), Source: strings.TrimSpace(b.Source),
		ExternalRef: strings.TrimSpace(b.ExternalRef), Description: b.Description, Reporter: b.Reporter}
	switch {
	case b.Lon == nil:
		return in, invalidField("lon", "is required (degrees, in crs; WGS84 by default)")
	case b.Lat == nil:
		return in, invalidField("lat", "is required (degrees, in crs; WGS84 by default)")
	}
	in.Lon, in.Lat = *b.Lon, *b.Lat
	// geographic systems only: an incident is a (lon, lat) point
	if _, err := crs.Parse(b.CRS); err != nil {
		return in, invalidField("crs", "%v", err)
	}
	if field, msg := lookup.CheckLonLat(in.Lon, in.Lat); field != "" {
		return in, invalidField(field, "%s", msg)
	}
	for _, f := range []struct {
		name, v  string
		max      int
		required bool
	}{
		{"category", in.Category, maxShortText, true},
		{"source", in.Source, maxShortText, true},
		{"external_ref", in.ExternalRef, maxExternalRef, false},
		{"description", in.Description, maxDescription, false},
		{"reporter.name", in.Reporter.Name, maxShortText, false},
		{"reporter.phone", in.Reporter.Phone, maxPhone, false},
	} {
		if err := checkText(f.name, f.v, f.max, f.required); err != nil {
			return in, err
		}
	}
	if b.OccurredAt != "" {
		var err error
		if in.OccurredAt, err = time.Parse(time.RFC3339, b.OccurredAt); err != nil {
			return in, invalidField("occurred_at", "%q is not an RFC 3339 time such as 2025-06-01T08:30:00+08:00", b.OccurredAt)
		}
	}
	return in, nil
}

// checkText refuses a text that is not UTF-8, holds control characters
// other than line breaks and tabs, is longer than max characters, or is
// empty when required.
func checkText(field, v string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(v) == "":
		return invalidField(field, "is required")
	case !utf8.ValidString(v):
		return invalidField(field, "is not valid UTF-8")
	case utf8.RuneCountInString(v) > max:
		return invalidField(field, "is longer than %d characters", max)
	}
	for _, r := range v {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f {
			return invalidField(field, "holds a control character")
		}
	}
	return nil
}

// invalidField returns the 400 of a bad body member.
func invalidField(field, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "invalid_field", Field: field, Message: field + ": " + fmt.Sprintf(format, args...)}
}

// idempotencyKey returns the Idempotency-Key header of req ("" for none),
// or the 400 of one that is too long or not printable ASCII.
func idempotencyKey(req *http.Request) (string, error) {
	k := req.Header.Get("Idempotency-Key")
	if len(k) > maxIdemKey {
		return "", badParam("Idempotency-Key", "Idempotency-Key is longer than %d characters", maxIdemKey)
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return "", badParam("Idempotency-Key", "Idempotency-Key holds a character other than printable ASCII")
		}
	}
	return k, nil
}

// handleReport answers POST /api/v1/incidents: the report is located in
// the version served and stored; 201 with the incident (its id, status and
// chain) and Location. A retry (the same Idempotency-Key, or the same
// source and external_ref) stores nothing and answers 200 with the stored
// incident and Idempotent-Replayed: true. A point in no grid, nor within
// incidents.nearest_m of one, is a 422 outside.
func (s *Server) handleReport(c echo.Context) error {
	svc, err := s.incidents()
	if err != nil {
		return err
	}
	key, err := idempotencyKey(c.Request())
	if err != nil {
		return err
	}
	in, err := decodeReport(c.Request().Body)
	if err != nil {
		return err
	}
	inc, created, err := svc.Report(c.Request().Context(), in, actorOf(c), key)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	h := c.Response().Header()
	h.Set(echo.HeaderLocation, "/api/v1/incidents/"+strconv.FormatInt(int64(inc.ID), 10))
	if !created {
		status = http.StatusOK
		h.Set("Idempotent-Replayed", "true")
	}
	return c.JSON(status, viewerOf(c).incident(inc))
}

// incidentList is the answer of the incident lists.
type incidentList struct {
	Incidents []incident.Incident `json:"incidents"`
	Next      string              `json:"next,omitempty"`
}

// handleIncidents answers GET /api/v1/incidents: the incidents that pass
// the filter of the query (filter.go), newest first, a page at a time.
func (s *Server) handleIncidents(c echo.Context) error {
	svc, err := s.incidents()
	if err != nil {
		return err
	}
	f, err := parseFilter(c.QueryParams())
	if err != nil {
		return err
	}
	return s.listIncidents(c, svc, f)
}

// listIncidents answers with the page of f.
func (s *Server) listIncidents(c echo.Context, svc *incident.Service, f incident.Filter) error {
	list, next, err := svc.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []incident.Incident{}
	}
	return c.JSON(http.StatusOK, incidentList{Incidents: viewerOf(c).incidents(list), Next: next})
}

// incidentAnswer is the answer of GET /api/v1/incidents/{id}.
type incidentAnswer struct {
	Incident incident.Incident     `json:"incident"`
	History  []incident.Transition `json:"history"`
}

// handleIncident answers GET /api/v1/incidents/{id}: the incident and its
// whole history, oldest first.
func (s *Server) handleIncident(c echo.Context) error {
	svc, id, err := s.incidentOf(c)
	if err != nil {
		return err
	}
	inc, hist, err := svc.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if hist == nil {
		hist = []incident.Transition{}
	}
	return c.JSON(http.StatusOK, incidentAnswer{Incident: viewerOf(c).incident(inc), History: hist})
}

// incidentOf returns the incident service and the path's incident id,
// or the error of a server without incidents or of a bad id.
func (s *Server) incidentOf(c echo.Context) (*incident.Service, incident.ID, error) {
	svc, err := s.incidents()
	if err != nil {
		return nil, 0, err
	}
	id, err := incidentID(c)
	return svc, id, err
}

// incidentID reads the path's incident id: a positive integer.
func incidentID(c echo.Context) (incident.ID, error) {
	v := c.Param("id")
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, badParam("id", "incident id %q is not a positive integer", v)
	}
	return incident.ID(n), nil
}
