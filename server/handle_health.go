package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleHealth answers GET /healthz: 200 with the version being served, or
// 503 while no version is served. When the store's active version cannot be
// served (damaged files) and another is served instead, the status is
// "degraded" (still 200: lookups are answered) and the answer names the
// active version and the problem.
func (s *Server) handleHealth(c echo.Context) error {
	bad := s.versions.Unservable()
	snap, err := s.snap()
	if err != nil {
		body := map[string]string{"status": "no version"}
		if bad != nil {
			body["active"], body["problem"] = bad.ID, bad.Reason
		}
		return c.JSON(http.StatusServiceUnavailable, body)
	}
	if bad != nil && bad.ID != snap.Manifest.ID {
		return c.JSON(http.StatusOK, map[string]string{"status": "degraded", "version": snap.Manifest.ID, "active": bad.ID, "problem": bad.Reason})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": snap.Manifest.ID})
}
