package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// meAnswer says who the caller is (GET /api/v1/me): the role of its key
// ("anonymous" without one), the key's name, the staff id it belongs to
// and whether it sees personal data unmasked.
type meAnswer struct {
	Role     string `json:"role"`
	Name     string `json:"name,omitempty"`
	Staff    string `json:"staff,omitempty"`
	Personal bool   `json:"personal"`
}

// handleMe answers GET /api/v1/me.
func (s *Server) handleMe(c echo.Context) error {
	p := principalOf(c)
	if p == nil {
		return c.JSON(http.StatusOK, meAnswer{Role: "anonymous"})
	}
	return c.JSON(http.StatusOK, meAnswer{Role: string(p.Role), Name: p.Name, Staff: p.Staff, Personal: viewerOf(c).personal()})
}

// handleMyIncidents answers GET /api/v1/me/incidents: the incidents
// assigned to the staff id of the caller's key (a grid worker's task
// list), filtered and paged as GET /api/v1/incidents. A call without a
// key is a 401, with a key that belongs to no staff a 403 no_staff.
func (s *Server) handleMyIncidents(c echo.Context) error {
	svc, err := s.incidents()
	if err != nil {
		return err
	}
	p := principalOf(c)
	if p == nil {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="gridmap"`)
		return &Error{Status: http.StatusUnauthorized, Code: "unauthorized",
			Message: "send Authorization: Bearer TOKEN of a key made with gridmap keys add --staff ID"}
	}
	if p.Staff == "" {
		return &Error{Status: http.StatusForbidden, Code: "no_staff",
			Message: "key " + p.Name + " belongs to no staff: make the person's key with gridmap keys add --staff ID"}
	}
	f, err := parseFilter(c.QueryParams())
	if err != nil {
		return err
	}
	f.Assignee = p.Staff
	return s.listIncidents(c, svc, f)
}
