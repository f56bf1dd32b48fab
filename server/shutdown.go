package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
)

// openConns counts an http.Server's open connections: its ConnState hook.
type openConns struct{ n atomic.Int64 }

// track is an http.Server.ConnState hook.
func (o *openConns) track(_ net.Conn, state http.ConnState) {
	switch state {
	case http.StateNew:
		o.n.Add(1)
	case http.StateClosed, http.StateHijacked:
		o.n.Add(-1)
	}
}

// shutdown stops hs gracefully: it stops accepting, ends the event streams
// (hs's OnShutdown hook), closes idle connections and waits up to
// LimitOptions.ShutdownTimeout for the requests in flight, long batches
// included, to finish. Past that it closes the connections left and logs
// how many it cut.
func (s *Server) shutdown(hs *http.Server, open *openConns) error {
	timeout := s.limits().ShutdownTimeout
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := hs.Shutdown(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	cut := open.n.Load()
	if err := hs.Close(); err != nil {
		return err
	}
	s.log.Printf("shutdown: cut %d connection(s) still busy after %s (limits.shutdown_timeout)", cut, timeout)
	return nil
}
