package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/synth"
)

// TestFeedRetries posts incidents to a server that answers each first try
// 429 (with Retry-After), then 503 (without), then 201: every incident is
// created once, retried twice with the same Idempotency-Key and body, and
// carries the key and the token.
func TestFeedRetries(t *testing.T) {
	var mu sync.Mutex
	tries := map[string]int{}
	bodies := map[string][]byte{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		key := r.Header.Get("Idempotency-Key")
		if r.URL.Path != "/api/v1/incidents" || r.Header.Get("Authorization") != "Bearer k1" || key == "" || !json.Valid(body) {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if prev, ok := bodies[key]; ok && !bytes.Equal(prev, body) {
			http.Error(w, "retry with another body", http.StatusBadRequest)
			return
		}
		bodies[key] = body
		tries[key]++
		switch tries[key] {
		case 1:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		case 2:
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.WriteHeader(http.StatusCreated)
		}
	}))
	defer srv.Close()
	d := gridtest.JiangyinSet(t, "microgrids")
	g, err := synth.NewIncidents(d, synth.IncidentOptions{Seed: 1, N: 20})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	f := newFeed(srv.URL+"/", "k1", 200, &out)
	if err := f.run(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	if f.created.Load() != 20 || f.retried.Load() != 40 || f.failed.Load() != 0 {
		t.Fatalf("created %d, retried %d, failed %d; want 20, 40, 0\n%s", f.created.Load(), f.retried.Load(), f.failed.Load(), out.String())
	}
	for k, n := range tries {
		if n != 3 {
			t.Errorf("incident %s tried %d times, want 3", k, n)
		}
	}
}
