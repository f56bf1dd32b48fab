package server

import "github.com/labstack/echo/v4"

// handleIncidentTile answers GET /tiles/incidents/{z}/{x}/{y}.mvt (part
// tiles writes it).
func (s *Server) handleIncidentTile(c echo.Context) error { return notYet(c) }
