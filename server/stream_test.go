package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/auth"
	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/live"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/store"
)

// sseEvent is one event read off a stream.
type sseEvent struct {
	id, name, data string
}

// sseReader reads the events of an open stream.
type sseReader struct {
	t    *testing.T
	resp *http.Response
	br   *bufio.Reader
}

// openStream opens GET url as an event stream with the given headers.
func openStream(t *testing.T, ctx context.Context, url string, hdr ...string) *sseReader {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hdr {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("GET %s: %s, %s", url, resp.Status, resp.Header.Get("Content-Type"))
	}
	return &sseReader{t: t, resp: resp, br: bufio.NewReader(resp.Body)}
}

// next returns the next event (comments and the retry field skipped).
func (r *sseReader) next() sseEvent {
	r.t.Helper()
	var e sseEvent
	for {
		line, err := r.br.ReadString('\n')
		if err != nil {
			r.t.Fatalf("stream ended: %v", err)
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "":
			if e.name != "" || e.data != "" {
				return e
			}
		case strings.HasPrefix(line, "id: "):
			e.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			e.name = line[7:]
		case strings.HasPrefix(line, "data: "):
			e.data = line[6:]
		}
	}
}

// streamServer serves a server with a hub and a keys file holding a
// dispatcher's key, and returns its URL, the hub and the token.
func streamServer(t *testing.T) (string, *live.Hub, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	dir := t.TempDir()
	st, err := store.OpenDir(filepath.Join(dir, "store"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := auth.Open(filepath.Join(dir, "keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := keys.Add("centre", auth.RoleDispatcher)
	if err != nil {
		t.Fatal(err)
	}
	hub := live.NewHub(100)
	base, err := listen(ctx, catalog.Options{Store: st, Poll: -1},
		server.Options{Hub: hub, Auth: server.AuthOptions{KeysFile: keys.Path()}})
	if err != nil {
		t.Fatal(err)
	}
	return base, hub, tok
}

// published waits until the hub has n subscribers, then publishes evs.
func published(t *testing.T, hub *live.Hub, n int, evs ...incident.Event) {
	t.Helper()
	for hub.Subscribers() < n {
		time.Sleep(time.Millisecond)
	}
	for _, e := range evs {
		hub.Publish(e)
	}
}

func reported(id uint64, phone string) incident.Event {
	inc := &incident.Incident{ID: incident.ID(id), Status: incident.Reported, Category: "治安", Source: "110",
		Reporter: incident.Reporter{Name: "王小明", Phone: phone}, Chain: []incident.Link{{Layer: "grids", Code: "G1"}}}
	return incident.Event{ID: id, Kind: incident.EventIncident, Incident: inc}
}

func counts(id uint64) incident.Event {
	return incident.Event{ID: id, Kind: incident.EventCounts, Counts: []incident.GridCount{
		{Layer: "grids", Code: "G1", Total: int(id), Open: 1}, {Layer: "towns", Code: "T1", Total: int(id)}}}
}

// TestStreamMasksAndResumes: events reach a live client in order with
// their ids; the reporter's phone is masked for an anonymous client and
// shown to a dispatcher; a client reconnecting with Last-Event-ID gets
// exactly the events it missed; one whose id is no longer kept gets a
// reset first; ?layer= keeps counts of that layer only.
func TestStreamMasksAndResumes(t *testing.T) {
	base, hub, tok := streamServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	anon := openStream(t, ctx, base+"/api/v1/stream")
	disp := openStream(t, ctx, base+"/api/v1/stream?layer=towns", "Authorization: Bearer "+tok)
	published(t, hub, 2, reported(1, "13812345678"), counts(1), reported(2, "13900001111"), counts(2))

	want := []struct{ id, name string }{{"1", "incident"}, {"1c", "counts"}, {"2", "incident"}, {"2c", "counts"}}
	for _, w := range want {
		e := anon.next()
		if e.id != w.id || e.name != w.name {
			t.Fatalf("anonymous: event %s %s, want %s %s", e.id, e.name, w.id, w.name)
		}
		if strings.Contains(e.data, "13812345678") || strings.Contains(e.data, "王小明") {
			t.Errorf("anonymous stream shows personal data: %s", e.data)
		}
		if e.name == "incident" && !strings.Contains(e.data, "138****5678") && !strings.Contains(e.data, "139****1111") {
			t.Errorf("anonymous stream: no masked phone in %s", e.data)
		}
	}
	e := disp.next()
	if e.id != "1" || !strings.Contains(e.data, "13812345678") {
		t.Errorf("dispatcher: first event %+v, want incident 1 with the phone", e)
	}
	e = disp.next()
	var ev incident.Event
	if err := json.Unmarshal([]byte(e.data), &ev); err != nil {
		t.Fatal(err)
	}
	if e.id != "1c" || len(ev.Counts) != 1 || ev.Counts[0].Layer != "towns" {
		t.Errorf("dispatcher with layer=towns: %s %s, want counts of towns only", e.id, e.data)
	}

	// a client that got up to "1c" resumes with the rest, in order
	re := openStream(t, ctx, base+"/api/v1/stream", "Last-Event-ID: 1c")
	for _, w := range want[2:] {
		if e := re.next(); e.id != w.id || e.name != w.name {
			t.Fatalf("resumed: event %s %s, want %s %s", e.id, e.name, w.id, w.name)
		}
	}
	published(t, hub, 3, reported(3, ""))
	if e := re.next(); e.id != "3" {
		t.Errorf("resumed stream: then %s, want 3", e.id)
	}

	// an id from before this process: reset, then live events
	old := openStream(t, ctx, base+"/api/v1/stream?last_event_id=99999")
	if e := old.next(); e.name != "reset" {
		t.Errorf("resume from an unknown id: first event %q, want reset", e.name)
	}
	published(t, hub, 4, counts(3))
	if e := old.next(); e.id != "3c" {
		t.Errorf("after reset: %s, want 3c", e.id)
	}
}

// TestStreamBadLastEventID: a Last-Event-ID that is none of the stream's
// ids is a 400 naming it.
func TestStreamBadLastEventID(t *testing.T) {
	base, _, _ := streamServer(t)
	status, _, body := get(t, base+"/api/v1/stream?last_event_id=abc")
	if status != http.StatusBadRequest || !strings.Contains(string(body), `"param":"last_event_id"`) {
		t.Errorf("status %d: %s", status, body)
	}
}
