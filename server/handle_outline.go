package server

import (
	"net/http"

	"github.com/gridmap/gridmap/internal/geojsonout"
	"github.com/labstack/echo/v4"
)

// handleOutline answers GET /api/v1/outline: the grids of the served
// version's root layers (those with no parent: the county, or a province)
// as one GeoJSON FeatureCollection, (lon, lat) WGS84 with the shortest
// digits that read back as the same float64, so a reader holds exactly the
// geometry the index holds. A shard router (package shard) reads it at
// start to know which points this server owns.
func (s *Server) handleOutline(c echo.Context) error {
	snap, err := s.snap()
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h["Content-Type"] = []string{"application/geo+json"}
	h["X-Gridmap-Version"] = snap.IDs
	c.Response().WriteHeader(http.StatusOK)
	w := geojsonout.NewWriter(c.Response(), geojsonout.Shortest)
	for _, l := range snap.Data.Layers {
		if l.Parent != "" {
			continue
		}
		for _, g := range l.Grids {
			f := geojsonout.Feature{ID: g.Code, Properties: map[string]any{"layer": l.Name, "code": g.Code}, Geometry: g.Geom}
			if err := w.Write(&f); err != nil {
				return err
			}
		}
	}
	return w.Close()
}
