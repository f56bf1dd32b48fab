package server

import (
	"errors"
	"net/http"

	"github.com/gridmap/gridmap/version"
	"github.com/labstack/echo/v4"
)

// handleReady answers GET /readyz, the readiness probe: 200 when a version
// is served and the store can be read now; else 503 with a problem naming
// what is missing (no_version: none served yet; not_ready: the store
// cannot be read, and why). /healthz says whether the process is alive.
func (s *Server) handleReady(c echo.Context) error {
	err := s.versions.Ready(c.Request().Context())
	switch {
	case err == nil:
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusOK, map[string]string{"status": "ready", "version": s.Version()})
	case errors.Is(err, version.ErrNoVersion):
		return err
	}
	return &Error{Status: http.StatusServiceUnavailable, Code: "not_ready", Message: "not ready: " + err.Error()}
}
