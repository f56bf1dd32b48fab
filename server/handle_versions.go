package server

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"

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

// versionID is the form of a version id (store.checkID is the rule).
var versionID = regexp.MustCompile(`^v[0-9]+$`)

// handleVersion answers GET /api/v1/versions/{id}: that version's
// manifest (its layers, which of them are partial, its sources and import
// report). 400 for a malformed id, 404 for an unknown one.
func (s *Server) handleVersion(c echo.Context) error {
	id := c.Param("id")
	if !versionID.MatchString(id) {
		return fmt.Errorf("%w: %q (want v1, v2 …)", version.ErrBadID, id)
	}
	_, list, err := s.versions.List(c.Request().Context())
	if err != nil && !errors.Is(err, version.ErrDamaged) {
		return err
	}
	for _, m := range list {
		if m.ID == id {
			return c.JSON(http.StatusOK, m)
		}
	}
	return fmt.Errorf("%w: %s", version.ErrNotFound, id)
}
