package server

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// eventsHeartbeat is how often an idle event stream sends a comment line, so
// that proxies and the browser keep the connection open.
const eventsHeartbeat = 15 * time.Second

// versionHub tells subscribers the id of the version being served whenever
// it changes. The zero value is ready. A slow subscriber misses intermediate
// ids but always gets the latest: each subscription is a one-slot channel
// whose pending value is replaced.
type versionHub struct {
	mu     sync.Mutex
	subs   map[chan string]struct{}
	closed chan struct{} // closed by shutdown; made on first use
}

func (h *versionHub) done() chan struct{} {
	if h.closed == nil {
		h.closed = make(chan struct{})
	}
	return h.closed
}

// subscribe returns a channel that receives version ids and a function that
// ends the subscription, and a channel closed when the server shuts down.
func (h *versionHub) subscribe() (<-chan string, <-chan struct{}, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = make(map[chan string]struct{})
	}
	ch := make(chan string, 1)
	h.subs[ch] = struct{}{}
	return ch, h.done(), func() {
		h.mu.Lock()
		delete(h.subs, ch)
		h.mu.Unlock()
	}
}

// closing returns a channel closed when the server shuts down (for the
// incident stream, which ends then too).
func (h *versionHub) closing() <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.done()
}

// publish sends id to every subscriber without blocking.
func (h *versionHub) publish(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case <-ch: // drop the stale id nobody read yet
		default:
		}
		ch <- id
	}
}

// shutdown ends every stream, now and later; for http.Server.RegisterOnShutdown,
// since a server shutting down waits for open streams otherwise.
func (h *versionHub) shutdown() {
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.done():
	default:
		close(h.closed)
	}
}

// handleEvents answers GET /api/v1/events with a Server-Sent Events stream:
// "event: version" with the id of the version being served, at once and
// whenever the server switches to another version, and a comment line as a
// heartbeat. The stream ends when the client goes away or the server shuts
// down. Before any version exists the first event comes with the first one.
func (s *Server) handleEvents(c echo.Context) error {
	ch, closed, cancel := s.events.subscribe()
	defer cancel()

	w := c.Response()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)

	sent := ""
	send := func(id string) error {
		if id == "" || id == sent {
			return nil
		}
		sent = id
		if _, err := fmt.Fprintf(w, "event: version\nid: %s\ndata: %s\n\n", id, id); err != nil {
			return err
		}
		w.Flush()
		return nil
	}
	// Tell the browser to retry after 2 s, then the current version. The
	// subscription came first, so a switch in between is not missed.
	if _, err := fmt.Fprint(w, "retry: 2000\n\n"); err != nil {
		return nil
	}
	if err := send(s.Version()); err != nil {
		return nil
	}
	w.Flush()

	tick := time.NewTicker(eventsHeartbeat)
	defer tick.Stop()
	ctx := c.Request().Context()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-closed:
			return nil
		case id := <-ch:
			if err := send(id); err != nil {
				return nil
			}
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil {
				return nil
			}
			w.Flush()
		}
	}
}
