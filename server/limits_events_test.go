package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/store"
)

// TestEventsOutliveDeadlines keeps an event stream open past the read and
// write timeouts of the routes that do not stream (200 ms), then switches
// the version: the stream, which must not be subject to them, tells of it.
func TestEventsOutliveDeadlines(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.OpenDir(t.TempDir())
	if err == nil {
		_, err = st.Publish(ctx, tinyVersion(t, "v1"), store.Meta{}, true)
	}
	var srv *Server
	if err == nil {
		srv, _, err = NewTestServer(ctx, catalog.Options{Store: st, Poll: 20 * time.Millisecond},
			Options{Limits: LimitOptions{ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond}})
	}
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	ts.Config = srv.httpServer() // the timeouts of Serve
	ts.Start()
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/api/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan sseEvent, 8)
	go readEvents(resp, events)
	if ev := nextEvent(t, events, 5*time.Second); ev.data != "v1" {
		t.Fatalf("first event %+v", ev)
	}
	time.Sleep(time.Second)
	m2, err := st.Publish(ctx, tinyVersion(t, "v2"), store.Meta{}, true)
	if err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, events, 5*time.Second); ev.data != m2.ID {
		t.Fatalf("after the deadlines: %+v, want version %s", ev, m2.ID)
	}
}
