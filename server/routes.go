package server

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routes lists every URL the server answers and the handler it goes to.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.errorHandler
	e.Use(middleware.Recover())

	e.GET("/healthz", s.handleHealth)

	e.GET("/api/v1/lookup", s.handleLookup)
	e.POST("/api/v1/lookup", s.handleBatchLookup)
	e.GET("/api/v1/versions", s.handleVersions)
	e.POST("/api/v1/versions/:id/activate", s.handleActivate) // admin token
	e.POST("/api/v1/imports", s.handleImport)                 // admin token
	e.GET("/api/v1/search", s.handleSearch)
	e.GET("/api/v1/events", s.handleEvents)
	e.GET("/api/v1/config", s.handleConfig)

	e.GET("/tiles.json", s.handleTileJSON)
	e.GET("/tiles/:z/:x/:y", s.handleTile) // y carries the .mvt suffix
	e.GET("/tiles/v/:version/:z/:x/:y", s.handleVersionedTile)
	e.GET("/api/v1/tiles/stats", s.handleTileStats)

	e.GET("/", s.handleIndex)
	e.GET("/static/*", s.handleStatic)
	return e
}
