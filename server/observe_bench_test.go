package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/auth"
	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/internal/logs"
	"github.com/gridmap/gridmap/server"
)

var (
	benchOnce sync.Once
	benchSrv  *server.Server
	// benchToken is the bearer token of the bench server's reader key
	benchToken string
	// benchLog is where the bench server's request log goes: the null
	// device, or io.Discard to leave the write out
	benchLog io.Writer
)

// benchServer is one server over the sample store set up as in production:
// keys required (a reader key among ten, sent as a bearer token), its own
// metrics registry, and the request log at info level in JSON (gridmap
// serve's handler, package logs), written to the null device (formatting and the write are paid).
func benchServer(b *testing.B) *server.Server {
	b.Helper()
	start(b)
	benchOnce.Do(func() {
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			b.Fatal(err)
		}
		benchLog = null
		out := logTo(func(p []byte) (int, error) { return benchLog.Write(p) })
		logger := logs.New(logs.FormatJSON, out, &slog.HandlerOptions{Level: slog.LevelInfo})
		// in the binary's directory: the server outlives the benchmark
		// that made it, and re-reads its keys file when it changes
		dir := binaryDir("bench-keys")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(dir, "keys.json")
		keys, err := auth.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		for i := range 9 {
			if _, _, err := keys.Add("other-"+strconv.Itoa(i), auth.RoleReader); err != nil {
				b.Fatal(err)
			}
		}
		if benchToken, _, err = keys.Add("hotline", auth.RoleReader); err != nil {
			b.Fatal(err)
		}
		benchSrv, _, err = server.NewTestServer(context.Background(), catalog.Options{Store: st, Poll: -1},
			server.Options{Logger: logger, Auth: server.AuthOptions{KeysFile: path, RequireKeys: true}})
		if err != nil {
			b.Fatal(err)
		}
	})
	return benchSrv
}

// chains are the two handlers compared: the bare handler (routing, panic
// recovery, handler) and the full chain (request id, metrics, the request
// log at info, CORS, the key checked, rates, the query checked).
func chains(s *server.Server) []struct {
	name string
	h    http.Handler
} {
	return []struct {
		name string
		h    http.Handler
	}{{"bare", s.BareHandler()}, {"full", s.Handler()}}
}

// lookupRequest is the single lookup of the benchmarks, with the bench
// key's bearer token (the bare handler does not look at it).
func lookupRequest(url string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+benchToken)
	return req
}

// BenchmarkLookupChain: one single lookup in process, bare handler against
// the full chain; b.ReportAllocs shows what the middleware allocates.
// full_discard formats the log line but does not write it (the write is a
// system call per request).
func BenchmarkLookupChain(b *testing.B) {
	s := benchServer(b)
	null := benchLog
	defer func() { benchLog = null }()
	for _, c := range append(chains(s), struct {
		name string
		h    http.Handler
	}{"full_discard", s.Handler()}) {
		b.Run(c.name, func(b *testing.B) {
			benchLog = null
			if c.name == "full_discard" {
				benchLog = io.Discard
			}
			req := lookupRequest("/api/v1/lookup?lon=120.28&lat=31.85")
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				c.h.ServeHTTP(w, req)
			}
			if w.code != http.StatusOK {
				b.Fatalf("status %d", w.code)
			}
		})
	}
}

// BenchmarkLookupLoopback: single lookups over loopback HTTP from 1 and 8
// keep-alive connections, bare handler against the full chain; reports
// requests per second (bench/observe.sh alternates and compares them).
func BenchmarkLookupLoopback(b *testing.B) {
	s := benchServer(b)
	for _, c := range chains(s) {
		ts := httptest.NewServer(c.h)
		for _, conns := range []int{1, 8} {
			b.Run(c.name+"/conns="+strconv.Itoa(conns), func(b *testing.B) {
				loopback(b, ts.URL+"/api/v1/lookup?lon=120.28&lat=31.85", conns)
			})
		}
		ts.Close()
	}
}

// loopback sends b.N GETs of url, with the bench key's bearer token, from
// conns clients of one connection each.
func loopback(b *testing.B, url string, conns int) {
	clients := make([]*http.Client, conns)
	for i := range clients {
		clients[i] = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1}}
		defer clients[i].CloseIdleConnections()
	}
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	errc := make(chan error, conns)
	for i, cl := range clients {
		n := b.N / conns
		if i < b.N%conns {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequest(http.MethodGet, url, nil)
			if err != nil {
				errc <- err
				return
			}
			req.Header.Set("Authorization", "Bearer "+benchToken)
			for range n {
				resp, err := cl.Do(req)
				if err != nil {
					errc <- err
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errc <- &statusError{resp.StatusCode}
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	close(errc)
	if err := <-errc; err != nil {
		b.Fatal(err)
	}
}

type statusError struct{ code int }

func (e *statusError) Error() string { return "status " + strconv.Itoa(e.code) }

// logTo is an io.Writer of a function.
type logTo func([]byte) (int, error)

func (f logTo) Write(p []byte) (int, error) { return f(p) }
