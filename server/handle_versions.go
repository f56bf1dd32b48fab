package server

import (
	"errors"
	"net/http"

	"github.com/gridmap/gridmap/version"
	"github.com/labstack/echo/v4"
)

// handleVersions answers GET /api/v1/versions: every version's manifest,
// oldest first, and the active id.
func (s *Server) handleVersions(c echo.Context) error {
	active, list, err := s.versions.List(c.Request().Context())
	body := map[string]any{"active": active, "serving": s.Version(), "versions": list}
	switch {
	case errors.Is(err, version.ErrDamaged):
		// the intact versions, and what is wrong with the others
		body["damaged"] = err.Error()
	case err != nil:
		return err
	}
	return c.JSON(http.StatusOK, body)
}
