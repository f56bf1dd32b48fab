package server

import (
	"github.com/labstack/echo/v4"
)

// routes lists every URL the server answers and the handler it goes to.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.errorHandler
	// Every handler is wrapped in recoverPanics once, here: middleware
	// given to echo's Use is applied anew on every request (a closure
	// allocated per request).
	post := func(path string, h echo.HandlerFunc) { e.POST(path, recoverPanics(h)) }
	// GET routes answer HEAD too (net/http sends the headers and drops the
	// body), as monitoring probes expect; the event stream does not.
	get := func(path string, h echo.HandlerFunc) {
		h = recoverPanics(h)
		e.GET(path, h)
		e.HEAD(path, h)
	}

	get("/healthz", s.handleHealth)

	get("/api/v1/lookup", s.handleLookup)
	post("/api/v1/lookup", s.handleBatchLookup)
	get("/api/v1/versions", s.handleVersions)
	post("/api/v1/versions/:id/activate", s.handleActivate) // admin token
	post("/api/v1/imports", s.handleImport)                 // admin token
	get("/api/v1/search", s.handleSearch)
	e.GET("/api/v1/events", recoverPanics(s.handleEvents))
	get("/api/v1/config", s.handleConfig)

	get("/tiles.json", s.handleTileJSON)
	get("/tiles/:z/:x/:y", s.handleTile) // y carries the .mvt suffix
	get("/tiles/v/:version/:z/:x/:y", s.handleVersionedTile)
	get("/api/v1/tiles/stats", s.handleTileStats)

	get("/", s.handleIndex)
	get("/static/*", s.handleStatic)
	return e
}
