package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/live"
	"github.com/labstack/echo/v4"
)

// streamParams are the query parameters of GET /api/v1/stream.
var streamParams = []string{"last_event_id", "layer"}

// handleStream answers GET /api/v1/stream with a Server-Sent Events stream
// of the incident events: "incident" (a new one), "transition" (a step)
// and "counts" (the figures of the grids they changed), each with its id
// (live.Cursor) and its JSON (incident.Event, personal data masked for the
// caller), and a heartbeat comment every 15 s. A client reconnecting with
// Last-Event-ID (or ?last_event_id=) gets the events it missed; when they
// are no longer kept (live.Hub's ring) it gets a "reset" event first and
// should reload what it shows. ?layer= keeps of each counts event only
// the grids of that layer. The stream ends when the client goes away, when
// it falls too far behind (it reconnects and resumes) or when the server
// shuts down.
func (s *Server) handleStream(c echo.Context) error {
	if s.opts.Hub == nil {
		return &Error{Status: http.StatusServiceUnavailable, Code: "no_incidents", Message: "this server keeps no incidents"}
	}
	req := c.Request()
	after := req.Header.Get("Last-Event-ID")
	if q := c.QueryParam("last_event_id"); q != "" {
		after = q
	}
	if after != "" && !live.ValidCursor(after) {
		return badParam("last_event_id", "last event id %q is not one of this stream's ids", after)
	}
	layer := c.QueryParam("layer")
	backlog, sub, resumed := s.opts.Hub.Subscribe(after)
	defer sub.Close()

	w := c.Response()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	sw := streamWriter{w: w, v: viewerOf(c), layer: layer}
	if _, err := fmt.Fprint(w, "retry: 2000\n\n"); err != nil {
		return nil
	}
	if !resumed {
		if _, err := fmt.Fprint(w, "event: reset\ndata: {}\n\n"); err != nil {
			return nil
		}
	}
	for _, e := range backlog {
		if sw.send(e) != nil {
			return nil
		}
	}
	w.Flush()

	tick := time.NewTicker(eventsHeartbeat)
	defer tick.Stop()
	flush := time.NewTimer(streamFlushEvery)
	defer flush.Stop()
	pending := false
	closed := s.events.closing()
	ctx := req.Context()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-closed:
			return nil
		case e, ok := <-sub.Events():
			if !ok || sw.send(e) != nil {
				return nil
			}
			// send what else is waiting, and flush a streamFlushEvery
			// later: one write for a burst of events
			for more := len(sub.Events()); more > 0; more-- {
				if sw.send(<-sub.Events()) != nil {
					return nil
				}
			}
			if !pending {
				pending = true
				flush.Reset(streamFlushEvery)
			}
		case <-flush.C:
			pending = false
			w.Flush()
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil {
				return nil
			}
			w.Flush()
		}
	}
}

// streamFlushEvery is how long a stream gathers events before it flushes
// them: the wall sees an event at most this much later, and fifty walls at
// 2,000 reports a second make a write a stream every 25 ms instead of two
// a report (the stream's write syscalls were a quarter of the server's CPU
// in bench/incidents' profile).
const streamFlushEvery = 25 * time.Millisecond

// streamWriter writes the events of one stream as its viewer may see them.
type streamWriter struct {
	w     *echo.Response
	v     viewer
	layer string
	buf   []byte
}

// send writes one event (not flushed). A counts event left with no grid
// of the stream's layer is not sent.
func (sw *streamWriter) send(e live.Event) error {
	if e.Kind != incident.EventCounts || sw.layer == "" {
		// the same bytes for every stream of the same form: encoded once
		form := 0
		if e.Incident != nil && sw.v.seesReporter(e.Incident) {
			form = 1
		}
		data, err := e.Encoded(form, func() ([]byte, error) { return json.Marshal(sw.v.event(e.Event)) })
		if err != nil {
			return err
		}
		return sw.write(e, data)
	}
	// a counts event cut to the stream's layer
	ev := e.Event
	var keep []incident.GridCount
	for _, gc := range ev.Counts {
		if gc.Layer == sw.layer {
			keep = append(keep, gc)
		}
	}
	if len(keep) == 0 {
		return nil
	}
	ev.Counts = keep
	data, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return sw.write(e, data)
}

// write writes one event whose data is data.
func (sw *streamWriter) write(e live.Event, data []byte) error {
	sw.buf = append(sw.buf[:0], "id: "...)
	sw.buf = append(sw.buf, e.Cursor...)
	sw.buf = append(sw.buf, "\nevent: "...)
	sw.buf = append(sw.buf, e.Kind...)
	sw.buf = append(sw.buf, "\ndata: "...)
	sw.buf = append(sw.buf, data...)
	sw.buf = append(sw.buf, "\n\n"...)
	_, err := sw.w.Write(sw.buf)
	return err
}
