// Package server is gridmap's HTTP layer: it parses requests, calls the
// catalog of versions (Options.Versions) and the snapshot it serves, and
// writes answers. It computes no geometry and imports neither the store nor
// the importer.
// routes.go lists every URL and the handler it goes to.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gridmap/gridmap/auth"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/live"
	"github.com/gridmap/gridmap/metrics"
	"github.com/gridmap/gridmap/stats"
	tileincidents "github.com/gridmap/gridmap/tiles/incidents"
	"github.com/gridmap/gridmap/version"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// Versions is what the server asks of the catalog of versions (package
// catalog implements it): the snapshot to serve, the versions, imports and
// activations, and news of a switch.
type Versions interface {
	// Current returns the snapshot being served, or nil before the first.
	Current() *version.Snapshot
	// List returns the active id and every version's manifest.
	List(ctx context.Context) (active string, list []version.Manifest, err error)
	// Activate builds version id and makes it active and served.
	Activate(ctx context.Context, id string) error
	// Import imports, checks and (unless a dry run) publishes and activates.
	Import(ctx context.Context, req version.ImportRequest) (version.ImportResult, error)
	// NewUpload makes a directory for the files of one upload.
	NewUpload() (dir string, remove func(), err error)
	// Subscribe calls fn with every switch of the version served.
	Subscribe(fn func(version.Event)) (cancel func())
	// Unservable names the active version when it cannot be served, or
	// returns nil.
	Unservable() *version.Unservable
	// Ready returns nil when a version is served and the store can be
	// read now; else version.ErrNoVersion, or why the store cannot be read
	// (matching version.ErrUnavailable) while the version held is served
	// (GET /readyz).
	Ready(ctx context.Context) error
	// Writable returns nil when the store can take a write now, else an
	// error matching version.ErrUnavailable (writes.go).
	Writable(ctx context.Context) error
	// StoreErr is what the last use or check of the store found, without
	// asking it (the gridmap_store_up metric).
	StoreErr() error
}

// Options configure a Server. Zero fields take the defaults documented on
// them.
type Options struct {
	// Versions holds the versions and the snapshot served; required.
	Versions Versions
	// TLS, when set, serves HTTPS on the listener given to Serve (a plain
	// TCP listener: the server puts TLS on it).
	TLS *tls.Config
	// Limits are the sizes, timeouts, caps and rates (limits.go); the zero
	// value means the defaults.
	Limits LimitOptions
	// BatchWriteStall is how long a batch lookup waits for its client to
	// take more of the answer before giving up on it (a client that sends
	// its whole body before reading stalls its batch). Default 1 minute.
	BatchWriteStall time.Duration
	// Logger receives the request log (one line per request, observe.go)
	// and server errors; default discards them.
	Logger *slog.Logger
	// Metrics is the registry gridmap's metrics are registered in and
	// /metrics serves; nil: the server makes its own. Never the global
	// default registry.
	Metrics *prometheus.Registry
	// BuildInfo says which build runs (the gridmap_build_info metric).
	BuildInfo BuildInfo
	// Pprof serves net/http/pprof under /debug/pprof/ on AdminHandler
	// (never on Handler).
	Pprof bool
	// Basemap is an optional raster tile URL template ({z}/{x}/{y}) the page
	// draws under the grids, for intranets that have one; default none, and
	// the page then fetches nothing but from this server.
	Basemap string
	// Auth says who may call which route (authorize.go).
	Auth AuthOptions
	// Tiles configures tile URLs (handle_tiles.go); the zero value means
	// the defaults.
	Tiles TileOptions
	// Attribution credits the data (source, licence; plain text) on the
	// page and in tiles.json when the version served records no credit of
	// its own (gridmap import --attribution). Default none.
	Attribution string
	// CORS configures cross-origin reads of the read APIs (cors.go); the
	// zero value allows every origin.
	CORS CORSOptions
	// Incidents is the incident loop (handle_incidents.go); nil: the
	// incident routes answer 503.
	Incidents *incident.Service
	// Stats answers /api/v1/stats and the wall's colours (handle_stats.go).
	Stats *stats.Ledger
	// Hub streams the incident events (handle_stream.go).
	Hub *live.Hub
	// IncidentTiles draws the incident tile layer
	// (handle_incident_tiles.go).
	IncidentTiles *tileincidents.Source
}

// BuildInfo says which build of gridmap runs: version and commit (the
// gridmap_build_info metric).
type BuildInfo = metrics.BuildInfo

// Validate checks o and fills in defaults.
func (o *Options) Validate() error {
	if o.Versions == nil {
		return errors.New("server: Options.Versions is required")
	}
	if err := o.CORS.validate(); err != nil {
		return err
	}
	if err := o.Limits.Validate(); err != nil {
		return fmt.Errorf("server: %w", err)
	}
	if o.BatchWriteStall <= 0 {
		o.BatchWriteStall = time.Minute
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Metrics == nil {
		o.Metrics = prometheus.NewRegistry()
	}
	return nil
}

// Server serves the current version of a catalog over HTTP.
type Server struct {
	opts Options
	// log is Options.Logger for what wants a *log.Logger (server errors,
	// http.Server.ErrorLog), at level error
	log *log.Logger
	// logger writes the request log
	logger  *slog.Logger
	metrics *metrics.Set
	// prom serves Options.Metrics; unmatchedMetrics records the requests
	// no route took
	prom             http.Handler
	unmatchedMetrics *metrics.Route
	ids              *requestIDs
	versions         Versions
	echo             *echo.Echo
	keys             *auth.Keys // the API keys and the bootstrap admin token
	events           versionHub // tells /api/v1/events streams of version switches
	// unsubscribe ends the subscription of events to the catalog
	unsubscribe func()
	// credit caches the attribution of the version served (attribution.go)
	credit creditCache
	lim    atomic.Pointer[LimitOptions] // the limits in force (SetLimits)
	rates  atomic.Pointer[rateLimiter]  // nil: rates off
	heavy  atomic.Int64                 // heavy requests being served
}

// New returns a server of the versions in opts. The server subscribes to
// their switches until its Serve returns.
func New(ctx context.Context, opts Options) (*Server, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	s := &Server{opts: opts, versions: opts.Versions, logger: opts.Logger,
		log: slog.NewLogLogger(opts.Logger.Handler(), slog.LevelError), ids: newRequestIDs()}
	var err error
	if s.metrics, err = metrics.New(opts.Metrics, opts.BuildInfo, opts.Versions); err != nil {
		return nil, err
	}
	if s.keys, err = s.openKeys(opts.Auth); err != nil {
		return nil, err
	}
	s.prom = s.metricsHandler()
	s.unmatchedMetrics = s.metrics.Route(unmatchedRoute)
	if err := s.SetLimits(opts.Limits); err != nil {
		return nil, err
	}
	s.unsubscribe = s.versions.Subscribe(func(e version.Event) { s.events.publish(e.ID) })
	s.echo = s.routes()
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.echo }

// Version returns the id of the version being served, or "".
func (s *Server) Version() string {
	if snap := s.versions.Current(); snap != nil {
		return snap.Manifest.ID
	}
	return ""
}

// snap returns the current snapshot or version.ErrNoVersion.
func (s *Server) snap() (*version.Snapshot, error) {
	if p := s.versions.Current(); p != nil {
		return p, nil
	}
	return nil, version.ErrNoVersion
}

// ListenAndServe serves on addr until ctx ends, then shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx ends, then shuts down gracefully
// (shutdown.go).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := s.httpServer()
	var open openConns
	hs.ConnState = open.track
	hs.RegisterOnShutdown(s.events.shutdown) // end event streams, or Shutdown waits for them
	defer s.unsubscribe()
	errc := make(chan error, 1)
	// net/http's own error answers as problem documents (conn.go): the
	// wrapper sits under TLS, which net/http must see as the connection
	var l net.Listener = problemListener{ln}
	if s.opts.TLS != nil {
		l = tls.NewListener(l, s.opts.TLS)
	}
	go func() { errc <- hs.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return s.shutdown(hs, &open)
	}
}
