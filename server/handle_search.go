package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

const (
	searchDefaultLimit = 10
	searchMaxLimit     = 100
	searchMaxQuery     = 100 // runes
)

// handleSearch answers GET /api/v1/search?q=..&limit=..: grids of the
// active version whose code starts with q or whose name holds q, best
// first (see search.Index.Search). limit defaults to 10, at most 100.
func (s *Server) handleSearch(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	if q == "" {
		return badParam("q", "q is required: a grid code or part of a name")
	}
	if n := len([]rune(q)); n > searchMaxQuery {
		return badParam("q", "q has %d characters, at most %d", n, searchMaxQuery)
	}
	limit := searchDefaultLimit
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > searchMaxLimit {
			return badParam("limit", "limit=%q is not an integer from 1 to %d", v, searchMaxLimit)
		}
		limit = n
	}
	snap, err := s.snap()
	if err != nil {
		return err
	}
	res := snap.Search.Search(q, limit)
	c.Response().Header().Set("X-Gridmap-Version", snap.Manifest.ID)
	return c.JSON(http.StatusOK, map[string]any{
		"version": snap.Manifest.ID,
		"query":   q,
		"results": res,
	})
}
