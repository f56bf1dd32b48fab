package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/labstack/echo/v4"
)

// actionBody is the JSON of POST /api/v1/incidents/{id}/actions.
type actionBody struct {
	Action   string `json:"action"`
	Note     string `json:"note"`
	Assignee string `json:"assignee"`
	Rating   int    `json:"rating"`
}

// check returns the request of b or the error of its first bad member.
func (b *actionBody) check() (incident.ActionRequest, error) {
	req := incident.ActionRequest{Action: incident.Action(strings.TrimSpace(b.Action)), Note: b.Note,
		Assignee: strings.TrimSpace(b.Assignee), Rating: b.Rating}
	if err := checkText("action", string(req.Action), maxShortText, true); err != nil {
		return req, err
	}
	if err := checkText("note", req.Note, maxDescription, false); err != nil {
		return req, err
	}
	if err := checkText("assignee", req.Assignee, maxShortText, false); err != nil {
		return req, err
	}
	if req.Rating < 0 || req.Rating > 5 {
		return req, invalidField("rating", "%d is not a satisfaction rating from 1 to 5", req.Rating)
	}
	return req, nil
}

// actionAnswer is the answer of a step.
type actionAnswer struct {
	Incident   incident.Incident   `json:"incident"`
	Transition incident.Transition `json:"transition"`
}

// handleAction answers POST /api/v1/incidents/{id}/actions: one step of
// the loop, checked by the service against the incident's status (409
// not_allowed) and the caller's role (403 forbidden; a grid worker acts
// only on its own incidents).
func (s *Server) handleAction(c echo.Context) error {
	svc, id, err := s.incidentOf(c)
	if err != nil {
		return err
	}
	var b actionBody
	if err := decodeBody(c.Request().Body, &b, false); err != nil {
		return err
	}
	req, err := b.check()
	if err != nil {
		return err
	}
	inc, t, err := svc.Act(c.Request().Context(), id, req, actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, actionAnswer{Incident: viewerOf(c).incident(inc), Transition: t})
}

// relocateBody is the JSON of POST /api/v1/incidents/relocate: which
// incidents to locate again (all when empty).
type relocateBody struct {
	Grid string `json:"grid"`
	From string `json:"from"`
	To   string `json:"to"`
}

// handleRelocate answers POST /api/v1/incidents/relocate: the chains of
// the incidents of a grid (any layer) and reported in [from, to) are
// derived again against the version served, each change recorded as a
// relocate step; the answer counts them.
func (s *Server) handleRelocate(c echo.Context) error {
	svc, err := s.incidents()
	if err != nil {
		return err
	}
	var b relocateBody
	if err := decodeBody(c.Request().Body, &b, true); err != nil {
		return err
	}
	f := incident.Filter{Grid: strings.TrimSpace(b.Grid)}
	for _, t := range []struct {
		name, v string
		dst     *time.Time
	}{{"from", b.From, &f.From}, {"to", b.To, &f.To}} {
		if t.v == "" {
			continue
		}
		if *t.dst, err = time.Parse(time.RFC3339, t.v); err != nil {
			return invalidField(t.name, "%q is not an RFC 3339 time", t.v)
		}
	}
	res, err := svc.Relocate(c.Request().Context(), f, actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
