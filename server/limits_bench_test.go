package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/server"
)

// rateHandler returns the handler of a server over the shared store with
// rates at perSecond (0: off), in bursts as large.
func rateHandler(tb testing.TB, perSecond float64) http.Handler {
	tb.Helper()
	start(tb)
	s, _, err := server.NewTestServer(context.Background(), catalog.Options{Store: st, Poll: -1},
		server.Options{Limits: server.LimitOptions{Rate: perSecond, Burst: int(perSecond)}})
	if err != nil {
		tb.Fatal(err)
	}
	return s.Handler()
}

// TestLookupAllocsRateOn holds a single lookup to no allocation with rate
// limits on too, once its client's bucket exists.
func TestLookupAllocsRateOn(t *testing.T) {
	if raceBuild {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	h := rateHandler(t, 1e9)
	req := httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lon=120.28&lat=31.85", nil)
	req.Header.Set("X-Request-ID", sameID) // a new id is made, and allocated, per request
	w := &discardWriter{h: http.Header{}}
	h.ServeHTTP(w, req)
	if w.code != http.StatusOK {
		t.Fatalf("status %d", w.code)
	}
	if n := testing.AllocsPerRun(2000, func() { clear(w.h); h.ServeHTTP(w, req) }); n != 0 {
		t.Errorf("%v allocations per lookup with rates on", n)
	}
}

// BenchmarkLookupRate measures a single lookup through the handler with
// rate limits off and on (every request allowed: the cost of the bucket).
func BenchmarkLookupRate(b *testing.B) {
	for _, tc := range []struct {
		name string
		rate float64
	}{{"off", 0}, {"on", 1e9}} {
		b.Run(tc.name, func(b *testing.B) {
			h := rateHandler(b, tc.rate)
			req := httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lon=120.28&lat=31.85", nil)
			w := &discardWriter{h: http.Header{}}
			h.ServeHTTP(w, req) // the client's bucket
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				clear(w.h)
				h.ServeHTTP(w, req)
			}
		})
	}
}
