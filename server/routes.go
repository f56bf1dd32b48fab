package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// access says who may call a route.
type access int

const (
	// accessOpen: anyone, always (health, the page, its static files).
	accessOpen access = iota
	// accessRead: the read APIs (lookup, tiles, search, versions, config,
	// events): open by default, an API key of any role when the operator
	// requires keys.
	accessRead
	// accessImport: the importer or admin role.
	accessImport
	// accessAdmin: the admin role only.
	accessAdmin
	// accessReport: reporting incidents: the reporter (an intake system),
	// dispatcher, supervisor, grid worker or admin role.
	accessReport
	// accessAct: a step on an incident: the dispatcher, supervisor, grid
	// worker or admin role (the incident flow then checks the step).
	accessAct
	// accessRelocate: relocating incidents: the dispatcher or admin role.
	accessRelocate
)

// route is one URL pattern and method, the handler it goes to, and what the
// middleware needs to know of it.
type route struct {
	method string
	path   string
	// name labels the route in metrics and logs ("lookup", "tile").
	name   string
	access access
	// heavy routes (imports, batch lookups) count against the cap on
	// concurrent heavy requests.
	heavy bool
	h     echo.HandlerFunc
}

// routeTable lists every URL the server answers and the handler it goes to.
func (s *Server) routeTable() []route {
	return []route{
		{http.MethodGet, "/healthz", "healthz", accessOpen, false, s.handleHealth},
		{http.MethodGet, "/readyz", "readyz", accessOpen, false, s.handleReady},
		{http.MethodGet, "/metrics", "metrics", accessOpen, false, s.handleMetrics},

		{http.MethodGet, "/api/v1/lookup", "lookup", accessRead, false, s.handleLookup},
		{http.MethodPost, "/api/v1/lookup", "lookup_batch", accessRead, true, s.handleBatchLookup},
		{http.MethodGet, "/api/v1/versions", "versions", accessRead, false, s.handleVersions},
		{http.MethodGet, "/api/v1/versions/:id", "version", accessRead, false, s.handleVersion},
		{http.MethodPost, "/api/v1/versions/:id/activate", "activate", accessAdmin, false, s.handleActivate},
		{http.MethodPost, "/api/v1/imports", "import", accessImport, true, s.handleImport},
		{http.MethodGet, "/api/v1/search", "search", accessRead, false, s.handleSearch},
		{http.MethodGet, "/api/v1/events", "events", accessRead, false, s.handleEvents},
		{http.MethodGet, "/api/v1/config", "config", accessRead, false, s.handleConfig},
		{http.MethodGet, "/api/v1/outline", "outline", accessRead, false, s.handleOutline},

		{http.MethodGet, "/tiles.json", "tilejson", accessRead, false, s.handleTileJSON},
		{http.MethodGet, "/tiles/:z/:x/:y", "tile", accessRead, false, s.handleTile}, // y carries the .mvt suffix
		{http.MethodGet, "/tiles/v/:version/:z/:x/:y", "tile_version", accessRead, false, s.handleVersionedTile},
		{http.MethodGet, "/api/v1/tiles/stats", "tile_stats", accessRead, false, s.handleTileStats},
		{http.MethodGet, "/tiles/incidents/:z/:x/:y", "incident_tile", accessRead, false, s.handleIncidentTile},

		{http.MethodPost, "/api/v1/incidents", "incident_report", accessReport, false, s.handleReport},
		{http.MethodGet, "/api/v1/incidents", "incidents", accessRead, false, s.handleIncidents},
		{http.MethodGet, "/api/v1/incidents/:id", "incident", accessRead, false, s.handleIncident},
		{http.MethodPost, "/api/v1/incidents/:id/actions", "incident_action", accessAct, false, s.handleAction},
		{http.MethodPost, "/api/v1/incidents/relocate", "incident_relocate", accessRelocate, true, s.handleRelocate},
		{http.MethodGet, "/api/v1/me", "me", accessRead, false, s.handleMe},
		{http.MethodGet, "/api/v1/me/incidents", "me_incidents", accessRead, false, s.handleMyIncidents},
		{http.MethodGet, "/api/v1/stats", "stats", accessRead, false, s.handleStats},
		{http.MethodGet, "/api/v1/stream", "stream", accessRead, false, s.handleStream},
		{http.MethodPost, "/api/v1/staff", "staff_import", accessImport, true, s.handleStaffImport},
		{http.MethodGet, "/api/v1/staff", "staff", accessRead, false, s.handleStaff},
		{http.MethodGet, "/api/v1/staff/versions", "staff_versions", accessRead, false, s.handleStaffVersions},

		{http.MethodGet, "/", "page", accessOpen, false, s.handleIndex},
		{http.MethodGet, "/static/*", "static", accessOpen, false, s.handleStatic},

		{http.MethodGet, "/api/v1/openapi.json", "openapi", accessOpen, false, s.handleOpenAPI},
		{http.MethodGet, "/api/docs", "api_docs", accessOpen, false, s.handleAPIDocs},
	}
}

// routes builds the echo router of the route table.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.unmatched // observe renders the errors of routed requests
	table := s.routeTable()
	for _, r := range append(table, s.preflights(table)...) {
		h := s.wrap(r)
		e.Add(r.method, r.path, h)
		// GET routes answer HEAD too (net/http sends the headers and drops
		// the body), as monitoring probes expect; the event stream does not.
		if r.method == http.MethodGet && !eventStream(r) {
			e.Add(http.MethodHead, r.path, h)
		}
	}
	return e
}

// wrap puts a route's handler inside the middleware, once, when the router
// is built: middleware given to echo's Use is applied anew on every request
// (a closure allocated per request), and a single lookup allocates nothing.
// From the outside in: observe (request id, metrics, the request's log
// line), cors, authorize (credentials and role), limit (rate and the cap on
// heavy requests), gateWrites (writes refused while the store cannot be
// reached), recoverPanics, then checkQuery (query parameters the route does
// not take).
func (s *Server) wrap(r route) echo.HandlerFunc {
	h := recoverPanics(checkQuery(r, r.h))
	h = s.gateWrites(r, h)
	h = s.limit(r, h)
	h = s.authorize(r, h)
	h = s.cors(r, h)
	return s.observe(r, h)
}
