package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/gridmap/gridmap/auth"
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
// caller), written a batch (live.Gather) at a time in one write whose
// bytes every stream of the same masking form and layer shares, and a
// heartbeat comment every 15 s. A client reconnecting with
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
	closed := s.events.closing()
	ctx := req.Context()
	key := sw.key()
	for {
		segs, wake, ok := sub.Next()
		if !ok {
			return nil
		}
		for _, g := range segs {
			// the batch framed once for every stream of the same key
			data, err := g.Joined(key, sw.frame)
			if err != nil {
				return nil
			}
			if _, err := w.Write(data); err != nil {
				return nil
			}
		}
		if len(segs) > 0 {
			w.Flush()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-closed:
			return nil
		case <-wake:
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil {
				return nil
			}
			w.Flush()
		}
	}
}

// streamWriter writes the events of one stream as its viewer may see them.
type streamWriter struct {
	w     *echo.Response
	v     viewer
	layer string
}

// key names what frame's answers depend on: how the viewer sees
// reporters (always, never, or those of its own incidents) and the layer.
func (sw *streamWriter) key() string {
	switch {
	case sw.v.personal():
		return "all\x00" + sw.layer
	case sw.v.role == string(auth.RoleGridWorker) && sw.v.staff != "":
		return "own:" + sw.v.staff + "\x00" + sw.layer
	default:
		return "none\x00" + sw.layer
	}
}

// send writes one event (not flushed).
func (sw *streamWriter) send(e live.Event) error {
	f, err := sw.frame(e)
	if err != nil || f == nil {
		return err
	}
	_, err = sw.w.Write(f)
	return err
}

// frame returns the frame of one event as the stream's viewer may see it,
// or nil: a counts event left with no grid of the stream's layer is not
// sent.
func (sw *streamWriter) frame(e live.Event) ([]byte, error) {
	if e.Kind != incident.EventCounts || sw.layer == "" {
		// the same bytes for every stream of the same form: encoded once
		form := 0
		if e.Incident != nil && sw.v.seesReporter(e.Incident) {
			form = 1
		}
		data, err := e.Encoded(form, func() ([]byte, error) { return json.Marshal(sw.v.event(e.Event)) })
		if err != nil {
			return nil, err
		}
		return appendFrame(nil, e, data), nil
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
		return nil, nil
	}
	ev.Counts = keep
	data, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	return appendFrame(nil, e, data), nil
}

// appendFrame appends the frame of event e whose data is data to dst.
func appendFrame(dst []byte, e live.Event, data []byte) []byte {
	dst = append(dst, "id: "...)
	dst = append(dst, e.Cursor...)
	dst = append(dst, "\nevent: "...)
	dst = append(dst, e.Kind...)
	dst = append(dst, "\ndata: "...)
	dst = append(dst, data...)
	return append(dst, "\n\n"...)
}
