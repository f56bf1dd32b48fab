// Package server is gridmap's HTTP layer: it parses requests, calls the
// catalog of versions (Options.Versions) and the snapshot it serves, and
// writes answers. It computes no geometry and imports neither the store nor
// the importer.
// routes.go lists every URL and the handler it goes to.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/gridmap/gridmap/version"
	"github.com/labstack/echo/v4"
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
}

// Options configure a Server. Zero fields take the defaults documented on
// them.
type Options struct {
	// Versions holds the versions and the snapshot served; required.
	Versions Versions
	// MaxBodyBytes caps request bodies of batch lookups. Default 1 GiB.
	MaxBodyBytes int64
	// BatchWriteStall is how long a batch lookup waits for its client to
	// take more of the answer before giving up on it (a client that sends
	// its whole body before reading stalls its batch). Default 1 minute.
	BatchWriteStall time.Duration
	// Log receives server errors; default discards them.
	Log *log.Logger
	// Basemap is an optional raster tile URL template ({z}/{x}/{y}) the page
	// draws under the grids, for intranets that have one; default none, and
	// the page then fetches nothing but from this server.
	Basemap string
	// AdminToken is the bearer token that POST /api/v1/imports and
	// POST /api/v1/versions/{id}/activate require. Empty disables them
	// (they answer 403 saying how to set one).
	AdminToken string
	// Tiles configures tile URLs (handle_tiles.go); the zero value means
	// the defaults.
	Tiles TileOptions
}

// Validate checks o and fills in defaults.
func (o *Options) Validate() error {
	if o.Versions == nil {
		return errors.New("server: Options.Versions is required")
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = 1 << 30
	}
	if o.BatchWriteStall <= 0 {
		o.BatchWriteStall = time.Minute
	}
	if o.Log == nil {
		o.Log = log.New(io.Discard, "", 0)
	}
	return nil
}

// Server serves the current version of a catalog over HTTP.
type Server struct {
	opts     Options
	log      *log.Logger
	versions Versions
	echo     *echo.Echo
	events   versionHub // tells /api/v1/events streams of version switches
	// unsubscribe ends the subscription of events to the catalog
	unsubscribe func()
}

// New returns a server of the versions in opts. The server subscribes to
// their switches until its Serve returns.
func New(ctx context.Context, opts Options) (*Server, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	s := &Server{opts: opts, log: opts.Log, versions: opts.Versions}
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

// Serve serves on ln until ctx ends.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       0, // batch lookups stream large bodies
		WriteTimeout:      0,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          s.log,
	}
	hs.RegisterOnShutdown(s.events.shutdown) // end event streams, or Shutdown waits for them
	defer s.unsubscribe()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(problemListener{ln}) }() // net/http's own error answers as problem documents (conn.go)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return hs.Shutdown(sctx)
	}
}
