package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleVersions answers GET /api/v1/versions: every version's manifest,
// oldest first, and the active id.
func (s *Server) handleVersions(c echo.Context) error {
	ctx := c.Request().Context()
	list, err := s.opts.Store.List(ctx)
	if err != nil {
		return err
	}
	active, _ := s.opts.Store.Active(ctx)
	return c.JSON(http.StatusOK, map[string]any{"active": active, "serving": s.Version(), "versions": list})
}
