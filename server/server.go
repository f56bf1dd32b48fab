// Package server is gridmap's HTTP layer: it parses requests, calls the core
// packages (geo, tiles, store) and writes answers. It computes no geometry.
// routes.go lists every URL and the handler it goes to.
package server

import (
	"context"
	"errors"
	"fmt"
	"github.com/gridmap/gridmap/geo"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gridmap/gridmap/store"
	"github.com/labstack/echo/v4"
)

// Options configure a Server. Zero fields take the defaults documented on
// them.
type Options struct {
	// Store holds the versions; required.
	Store store.Store
	// Poll is how often the store's active version is checked, so that a
	// version published by another process (gridmap import) is picked up.
	// Default 2 s; negative disables polling.
	Poll time.Duration
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
	// Tiles configures tile properties, the tile cache and tile URLs
	// (handle_tiles.go); the zero value means the defaults.
	Tiles TileOptions
}

// Validate checks o and fills in defaults.
func (o *Options) Validate() error {
	if o.Store == nil {
		return errors.New("server: Options.Store is required")
	}
	if o.Poll == 0 {
		o.Poll = 2 * time.Second
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

// Server serves the active version of a store over HTTP.
type Server struct {
	opts   Options
	log    *log.Logger
	cur    atomic.Pointer[snapshot]
	echo   *echo.Echo
	events versionHub // tells /api/v1/events streams of version switches
	// imports serialises imports and activations (handle_imports.go).
	imports importLock
	// swap serialises building and swapping snapshots, so that a version
	// is built once even when the store poll and an activation meet.
	swap sync.Mutex
}

// New returns a server for the store in opts and loads its active version,
// if there is one.
func New(ctx context.Context, opts Options) (*Server, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	s := &Server{opts: opts, log: opts.Log}
	if err := s.Reload(ctx); err != nil && !errors.Is(err, errNoVersion) {
		return nil, err
	}
	s.echo = s.routes()
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.echo }

// Version returns the id of the version being served, or "".
func (s *Server) Version() string {
	if snap := s.cur.Load(); snap != nil {
		return snap.manifest.ID
	}
	return ""
}

// Reload switches to the store's active version when it changed. Requests
// in flight finish on the version they started with.
func (s *Server) Reload(ctx context.Context) error {
	s.swap.Lock()
	defer s.swap.Unlock()
	cur := s.cur.Load()
	next, err := load(ctx, &s.opts, cur)
	if err != nil {
		return err
	}
	if next != cur {
		s.serve(next)
	}
	return nil
}

// serve makes next the snapshot being served; s.swap must be held.
func (s *Server) serve(next *snapshot) {
	s.cur.Store(next)
	s.log.Printf("serving version %s", next.manifest.ID)
	s.events.publish(next.manifest.ID)
}

// activate builds the snapshot of version id and only then makes id the
// store's active version and serves it: a version that cannot be served
// (its index or tile source fails to build) never becomes active.
func (s *Server) activate(ctx context.Context, id string) error {
	s.swap.Lock()
	defer s.swap.Unlock()
	if cur := s.cur.Load(); cur != nil && cur.manifest.ID == id {
		return s.opts.Store.Activate(ctx, id)
	}
	d, m, err := s.opts.Store.Load(ctx, id)
	if err != nil {
		return err
	}
	return s.activateLocked(ctx, m, d)
}

// activateData is activate for a version whose dataset the caller holds
// (just published).
func (s *Server) activateData(ctx context.Context, m store.Manifest, d *geo.Dataset) error {
	s.swap.Lock()
	defer s.swap.Unlock()
	return s.activateLocked(ctx, m, d)
}

func (s *Server) activateLocked(ctx context.Context, m store.Manifest, d *geo.Dataset) error {
	next, err := newSnapshot(m, d, &s.opts)
	if err != nil {
		return &Error{Status: http.StatusUnprocessableEntity, Code: "unservable", Message: fmt.Sprintf("version %s cannot be served, so it stays inactive: %v", m.ID, err)}
	}
	if err := s.opts.Store.Activate(ctx, m.ID); err != nil {
		return err
	}
	s.serve(next)
	return nil
}

// snap returns the current snapshot or errNoVersion.
func (s *Server) snap() (*snapshot, error) {
	if p := s.cur.Load(); p != nil {
		return p, nil
	}
	return nil, errNoVersion
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
	if s.opts.Poll > 0 {
		go s.poll(ctx)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return hs.Shutdown(sctx)
	}
}

func (s *Server) poll(ctx context.Context) {
	t := time.NewTicker(s.opts.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Reload(ctx); err != nil && !errors.Is(err, errNoVersion) {
				s.log.Printf("reload: %v", err)
			}
		}
	}
}
