package server_test

import (
	"context"
	"fmt"
	"github.com/gridmap/gridmap/catalog"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/version"
)

// discardWriter is a ResponseWriter that keeps its header map between
// requests and drops the body, so that only the handler's own allocations
// are counted.
type discardWriter struct {
	h    http.Header
	code int
	n    int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { d.n += len(b); return len(b), nil }
func (d *discardWriter) WriteHeader(code int)        { d.code = code }

// handlerQueries are single lookups with the options a dispatcher passes.
var handlerQueries = []string{
	"lon=120.28&lat=31.85",
	"lon=120.28&lat=31.85&boundary=50",
	"lon=120.28&lat=31.85&layers=microgrids,grids",
	"lon=121.5&lat=31.85&nearest=100",
	"lon=120.2848&lat=31.8536&crs=gcj02",
	"lon=120.28&lat=31.85&layers=county",
	"lon=120.28&lat=31.85&layers=microgrids,nope", // a 400 after a layer was set
	"lon=120.28&lat=31.85&layers=towns&nearest=x", // a 400 after the filter was built
}

// TestLookupHandlerReusesNoState answers the queries in order on one
// server, then over and over in other orders on a second, and checks that
// each answer stays the same: the pooled scratch of one request (its
// options, layer filter and buffers) never shows in the next.
func TestLookupHandlerReusesNoState(t *testing.T) {
	start(t)
	answer := func(h http.Handler, q string) string {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v1/lookup?"+q, nil))
		return fmt.Sprint(w.Code, " ", withoutRequestID(w.Body.String()))
	}
	var hs [2]http.Handler
	for i := range hs {
		s, _, err := server.NewTestServer(context.Background(), catalog.Options{Store: st, Poll: -1}, server.Options{})
		if err != nil {
			t.Fatal(err)
		}
		hs[i] = s.Handler()
	}
	want := map[string]string{}
	for _, q := range handlerQueries {
		want[q] = answer(hs[0], q)
	}
	for round := 0; round < 20; round++ {
		for i := range handlerQueries {
			q := handlerQueries[(i*3+round)%len(handlerQueries)]
			if got := answer(hs[1], q); got != want[q] {
				t.Fatalf("round %d, %s:\n got %s\nwant %s", round, q, got, want[q])
			}
		}
	}
}

// TestLookupConcurrentOptions sends the queries from 8 clients at once to a
// real server, each in its own order, and checks every answer against the
// one the query gets alone: requests with and without options, and failing
// ones, share the pooled scratch without seeing each other's.
func TestLookupConcurrentOptions(t *testing.T) {
	base := start(t)
	want := map[string]string{}
	for _, q := range handlerQueries {
		code, _, body := get(t, base+"/api/v1/lookup?"+q)
		want[q] = fmt.Sprint(code, " ", withoutRequestID(string(body)))
	}
	errc := make(chan error, 8)
	for c := 0; c < 8; c++ {
		go func(c int) {
			for i := 0; i < 40; i++ {
				q := handlerQueries[(i*(c+1)+c)%len(handlerQueries)]
				resp, err := http.Get(base + "/api/v1/lookup?" + q)
				if err != nil {
					errc <- err
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					errc <- err
					return
				}
				if got := fmt.Sprint(resp.StatusCode, " ", withoutRequestID(string(body))); got != want[q] {
					errc <- fmt.Errorf("client %d, %s:\n got %s\nwant %s", c, q, got, want[q])
					return
				}
			}
			errc <- nil
		}(c)
	}
	for c := 0; c < 8; c++ {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
}

// TestLookupHandlerAllocs holds a single GET lookup, through echo's routing,
// the panic recovery and the handler, to no allocation: points inside,
// on a shared vertex's neighbourhood and outside every grid, with the
// options a dispatcher passes. The middleware (request id, metrics, the
// request log) is measured apart: TestLookupChainAllocs and
// BenchmarkLookupChain.
func TestLookupHandlerAllocs(t *testing.T) {
	if raceBuild {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	start(t) // the shared sample store
	// no tiles published in the background (they would allocate while
	// this counts), and the encoding ahead waited for
	build := version.BuildOptions{TilesMaxZoom: -1}
	s, cat, err := server.NewTestServer(context.Background(), catalog.Options{Store: st, Poll: -1, Build: build}, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	<-cat.Current().Encoder.AheadDone()
	h := s.BareHandler()
	for _, q := range handlerQueries {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/lookup?"+q, nil)
		w := &discardWriter{h: http.Header{}}
		h.ServeHTTP(w, req)
		if w.code == http.StatusBadRequest {
			continue // errors may allocate
		}
		if w.code != http.StatusOK || w.n == 0 {
			t.Fatalf("%s: status %d, %d bytes", q, w.code, w.n)
		}
		n := testing.AllocsPerRun(2000, func() {
			clear(w.h)
			h.ServeHTTP(w, req)
		})
		if n != 0 {
			t.Errorf("%s: %v allocations per request", q, n)
		}
	}
}

// TestLookupChainAllocs measures the whole chain of a single lookup (the
// middleware around the handler: request id, metrics; the request log off,
// as at -log-level warn): nothing allocated when the request brings its
// X-Request-ID, and only the new id (its string and header value) when not.
func TestLookupChainAllocs(t *testing.T) {
	if raceBuild {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	start(t)
	// no tiles published in the background (they would allocate while
	// this counts), and the encoding ahead waited for
	build := version.BuildOptions{TilesMaxZoom: -1}
	s, cat, err := server.NewTestServer(context.Background(), catalog.Options{Store: st, Poll: -1, Build: build}, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	<-cat.Current().Encoder.AheadDone()
	h := s.Handler()
	tests := []struct {
		name string
		id   string
		max  float64
	}{
		{"incoming id", "7d4a1b52-3c1e-4f7a-9a0e-1b2c3d4e5f60", 0},
		{"new id", "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lon=120.28&lat=31.85", nil)
			if tt.id != "" {
				req.Header.Set("X-Request-ID", tt.id)
			}
			w := &discardWriter{h: http.Header{}}
			n := testing.AllocsPerRun(2000, func() {
				clear(w.h)
				h.ServeHTTP(w, req)
			})
			if w.code != http.StatusOK {
				t.Fatalf("status %d", w.code)
			}
			t.Logf("%v allocations per request", n)
			if n > tt.max {
				t.Errorf("%v allocations per request, want at most %v", n, tt.max)
			}
		})
	}
}

// requestIDMember is the request_id member of a problem document: each
// request's own, so left out where answers are compared.
var requestIDMember = regexp.MustCompile(`,"request_id":"[^"]*"`)

// withoutRequestID returns body without its problem document's request_id.
func withoutRequestID(body string) string { return requestIDMember.ReplaceAllString(body, "") }
