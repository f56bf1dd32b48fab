package server

import (
	"net/http"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/labstack/echo/v4"
)

// pageConfig is what GET /api/v1/config tells the page.
type pageConfig struct {
	// Basemap is a raster tile URL template ({z}/{x}/{y}) drawn under the
	// grids, or "" for none (Options.Basemap).
	Basemap string `json:"basemap"`
	// Version is the id of the version being served, "" before the first.
	Version string `json:"version"`
	// CoordinateSystems are the systems a person may pick for a point
	// lookup, in display order: [{"id":"wgs84","label":"WGS84"}, …], ids
	// as ?crs= takes them (crs.Choices).
	CoordinateSystems []crs.Choice `json:"coordinate_systems"`
	// Attribution credits the data of the version served (source and
	// licence, plain text), "" for none.
	Attribution string `json:"attribution"`
}

// handleConfig answers GET /api/v1/config: the page's settings from the
// server's options.
func (s *Server) handleConfig(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	pc := pageConfig{Basemap: s.opts.Basemap, CoordinateSystems: crs.Choices()}
	if snap := s.versions.Current(); snap != nil {
		pc.Version, pc.Attribution = snap.Manifest.ID, s.attribution(snap)
	}
	return c.JSON(http.StatusOK, pc)
}
