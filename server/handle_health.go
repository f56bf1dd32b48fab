package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleHealth answers GET /healthz: 200 with the version being served, or
// 503 while no version is active.
func (s *Server) handleHealth(c echo.Context) error {
	snap, err := s.snap()
	if err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "no version"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": snap.Manifest.ID})
}
