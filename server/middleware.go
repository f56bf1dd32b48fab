package server

import "github.com/labstack/echo/v4"

// limit applies rate limits and the cap on concurrent heavy requests.
// (Filled in by the limits work of issue 16.)
func (s *Server) limit(r route, next echo.HandlerFunc) echo.HandlerFunc { return next }
