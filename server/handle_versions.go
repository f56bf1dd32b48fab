package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleVersions answers GET /api/v1/versions: every version's manifest,
// oldest first, and the active id.
func (s *Server) handleVersions(c echo.Context) error {
	active, list, err := s.versions.List(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"active": active, "serving": s.Version(), "versions": list})
}
