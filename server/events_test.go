package server

import (
	"bufio"
	"context"
	"encoding/json"
	"github.com/gridmap/gridmap/catalog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/store"
)

// sseEvent is one event of a text/event-stream.
type sseEvent struct{ name, data string }

// readEvents parses the stream of resp into events until it ends.
func readEvents(resp *http.Response, out chan<- sseEvent) {
	defer close(out)
	sc := bufio.NewScanner(resp.Body)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.name != "" || ev.data != "" {
				out <- ev
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, "event: "):
			ev.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			ev.data = strings.TrimPrefix(line, "data: ")
		}
	}
}

func nextEvent(t *testing.T, events <-chan sseEvent, within time.Duration) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-events:
		if !ok {
			t.Fatal("stream ended")
		}
		return ev
	case <-time.After(within):
		t.Fatalf("no event within %s", within)
	}
	return sseEvent{}
}

// TestEventsVersion opens /api/v1/events, expects the active version at
// once, publishes and activates versions in the store and expects each as an
// event; the stream ends when the server shuts down.
func TestEventsVersion(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	m1, err := st.Publish(ctx, tinyVersion(t, "v1"), store.Meta{}, true)
	if err != nil {
		t.Fatal(err)
	}
	srv, _, err := NewTestServer(ctx, catalog.Options{Store: st, Poll: 20 * time.Millisecond}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()

	resp, err := http.Get(base + "/api/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	events := make(chan sseEvent, 8)
	go readEvents(resp, events)

	if ev := nextEvent(t, events, 5*time.Second); ev != (sseEvent{"version", m1.ID}) {
		t.Fatalf("first event %+v, want version %s", ev, m1.ID)
	}
	m2, err := st.Publish(ctx, tinyVersion(t, "v2"), store.Meta{}, true)
	if err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, events, 5*time.Second); ev != (sseEvent{"version", m2.ID}) {
		t.Fatalf("after publish: %+v, want version %s", ev, m2.ID)
	}
	if err := st.Activate(ctx, m1.ID); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, events, 5*time.Second); ev != (sseEvent{"version", m1.ID}) {
		t.Fatalf("after rollback: %+v, want version %s", ev, m1.ID)
	}

	// A second subscriber gets the current version at once.
	resp2, err := http.Get(base + "/api/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	events2 := make(chan sseEvent, 8)
	go readEvents(resp2, events2)
	if ev := nextEvent(t, events2, 5*time.Second); ev.data != m1.ID {
		t.Fatalf("second stream: %+v, want %s", ev, m1.ID)
	}
	// The client going away ends its subscription.
	resp2.Body.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		srv.events.mu.Lock()
		n := len(srv.events.subs)
		srv.events.mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d subscriptions after one client left, want 1", n)
		}
		time.Sleep(10 * time.Millisecond)
	}

	// Shutdown ends the open stream promptly.
	start := time.Now()
	cancel()
	for range events {
	}
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("shutdown took %s with a stream open", d)
	}
}

func TestVersionHubLatestWins(t *testing.T) {
	var h versionHub
	ch, _, cancel := h.subscribe()
	defer cancel()
	h.publish("a")
	h.publish("b") // nobody read "a": it is replaced
	if got := <-ch; got != "b" {
		t.Fatalf("got %q, want b", got)
	}
	h.shutdown()
	h.shutdown() // twice is fine
	_, closed, cancel2 := h.subscribe()
	defer cancel2()
	select {
	case <-closed:
	default:
		t.Fatal("a subscription after shutdown is not closed")
	}
}

// TestConfig: /api/v1/config names the base map of Options.Basemap, and
// none by default.
func TestConfig(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, basemap := range []string{"", "http://tiles.intranet.example/{z}/{x}/{y}.png"} {
		srv, _, err := NewTestServer(ctx, catalog.Options{Store: st, Poll: -1}, Options{Basemap: basemap})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/config", nil))
		var got struct{ Basemap, Version string }
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != 200 {
			t.Fatalf("status %d, %v: %s", rec.Code, err, rec.Body)
		}
		if got.Basemap != basemap || got.Version != "" {
			t.Errorf("config %+v, want basemap %q and no version yet", got, basemap)
		}
	}
}
