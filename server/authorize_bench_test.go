package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/auth"
	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/server"
)

// keyedLookups returns a server's handler and one single lookup sent
// anonymously, with a bearer token and with ?key= (keys are not required,
// and a key presented is checked all the same).
func keyedLookups(tb testing.TB) (h http.Handler, reqs map[string]*http.Request) {
	tb.Helper()
	start(tb)
	path := filepath.Join(tb.TempDir(), "keys.json")
	keys, err := auth.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} {
		keys.Add("other-"+n, auth.RoleReader) // ten keys to compare with
	}
	tok, _, err := keys.Add("dispatch", auth.RoleDispatcher)
	if err != nil {
		tb.Fatal(err)
	}
	s, _, err := server.NewTestServer(context.Background(), catalog.Options{Store: st, Poll: -1}, server.Options{Auth: server.AuthOptions{KeysFile: path}})
	if err != nil {
		tb.Fatal(err)
	}
	const q = "/api/v1/lookup?lon=120.28&lat=31.85"
	bearer := httptest.NewRequest(http.MethodGet, q, nil)
	bearer.Header.Set("Authorization", "Bearer "+tok)
	reqs = map[string]*http.Request{
		"anonymous": httptest.NewRequest(http.MethodGet, q, nil),
		"bearer":    bearer,
		"query_key": httptest.NewRequest(http.MethodGet, q+"&key="+tok, nil),
	}
	// an incoming request id: the full chain then allocates nothing of its
	// own (observe makes a new id with two), and what is counted is the key
	for _, r := range reqs {
		r.Header.Set("X-Request-ID", "7d4a1b52-3c1e-4f7a-9a0e-1b2c3d4e5f60")
	}
	return s.Handler(), reqs
}

// TestLookupWithKeyAllocs pins what a key costs a single lookup: nothing
// anonymous, two with a key: the map echo makes for c.Set of the
// principal (its header and its first group), anew for each request since
// echo's Context.Reset drops it; checking the token allocates nothing.
func TestLookupWithKeyAllocs(t *testing.T) {
	if raceBuild {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	h, reqs := keyedLookups(t)
	for name, want := range map[string]float64{"anonymous": 0, "bearer": 2, "query_key": 2} {
		w := &discardWriter{h: http.Header{}}
		h.ServeHTTP(w, reqs[name])
		if w.code != http.StatusOK {
			t.Fatalf("%s: status %d", name, w.code)
		}
		n := testing.AllocsPerRun(2000, func() { clear(w.h); h.ServeHTTP(w, reqs[name]) })
		if n != want {
			t.Errorf("%s: %v allocations per lookup, want %v", name, n, want)
		}
	}
}

// BenchmarkLookupAuth: a single lookup through the handler, anonymous and
// with a key among ten (bearer and ?key=).
func BenchmarkLookupAuth(b *testing.B) {
	h, reqs := keyedLookups(b)
	for _, name := range []string{"anonymous", "bearer", "query_key", "anonymous"} {
		b.Run(name, func(b *testing.B) {
			w := &discardWriter{h: http.Header{}}
			req := reqs[name]
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.ServeHTTP(w, req)
			}
		})
	}
}
