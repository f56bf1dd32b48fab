package server_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/server"
)

// do sends one request with headers (name, value pairs) and returns the
// status and the answer's headers.
func corsDo(t *testing.T, method, url, body string, headers ...string) (int, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

// TestCORSDefault: with the default options every read route, answers and
// errors alike, lets a page of any origin read it (Access-Control-Allow-
// Origin "*", and the headers a client needs exposed), and no import or
// admin route answers a cross-origin request.
func TestCORSDefault(t *testing.T) {
	base := startAdmin(t)
	const origin = "http://maplibre.example:8081"
	tests := []struct {
		name, method, path, body string
		status                   int // 0: any 4xx
		allowed                  bool
	}{
		{"lookup", "GET", "/api/v1/lookup?lon=120.285&lat=31.905", "", 200, true},
		{"lookup error", "GET", "/api/v1/lookup?lon=x&lat=31.905", "", 400, true},
		{"batch", "POST", "/api/v1/lookup", "id,lon,lat\n1,120.285,31.905\n", 200, true},
		{"tilejson", "GET", "/tiles.json", "", 200, true},
		{"tile", "GET", "/tiles/0/0/0.mvt", "", 200, true},
		{"tile error", "GET", "/tiles/99/0/0.mvt", "", 400, true},
		{"versioned tile of another version", "GET", "/tiles/v/v99/0/0/0.mvt", "", 404, true},
		{"versions", "GET", "/api/v1/versions", "", 200, true},
		{"config", "GET", "/api/v1/config", "", 200, true},
		{"search", "GET", "/api/v1/search?q=" + "%E6%BE%84", "", 200, true},
		{"tile stats", "GET", "/api/v1/tiles/stats", "", 200, true},
		{"import", "POST", "/api/v1/imports", "", 0, false},
		{"activate", "POST", "/api/v1/versions/v1/activate", "", 0, false},
		{"page", "GET", "/", "", 200, false},
		{"health", "GET", "/healthz", "", 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, h := corsDo(t, tt.method, base+tt.path, tt.body, "Origin", origin, "Content-Type", "text/csv")
			if tt.status == 0 && code < 400 || tt.status != 0 && code != tt.status {
				t.Errorf("status %d, want %d", code, tt.status)
			}
			got := h.Get("Access-Control-Allow-Origin")
			switch {
			case tt.allowed && got != "*":
				t.Errorf("Access-Control-Allow-Origin %q, want *", got)
			case !tt.allowed && got != "":
				t.Errorf("Access-Control-Allow-Origin %q on a route not open to other origins", got)
			}
			if expose := h.Get("Access-Control-Expose-Headers"); tt.allowed && (!strings.Contains(expose, "ETag") || !strings.Contains(expose, "X-Request-ID") || !strings.Contains(expose, "Retry-After")) {
				t.Errorf("Access-Control-Expose-Headers %q", expose)
			}
			if tt.allowed && strings.Contains(h.Get("Vary"), "Origin") {
				t.Errorf("Vary %q: the answer does not depend on the origin", h.Get("Vary"))
			}
		})
	}
}

var (
	corsOnce sync.Once
	corsSrv  *server.Server
	corsURL  string
	corsErr  error
)

// corsServer runs a real server of the shared sample store that lets two
// listed origins read, for the whole test binary.
func corsServer(t *testing.T) (*server.Server, string) {
	t.Helper()
	start(t)
	corsOnce.Do(func() {
		ctx := context.Background()
		corsSrv, _, corsErr = server.NewTestServer(ctx, catalog.Options{Store: st, Poll: -1},
			server.Options{CORS: server.CORSOptions{Origins: []string{"https://wall.example.gov.cn", "http://127.0.0.1:8081"}}})
		if corsErr != nil {
			return
		}
		var ln net.Listener
		if ln, corsErr = net.Listen("tcp", "127.0.0.1:0"); corsErr == nil {
			go corsSrv.Serve(ctx, ln)
			corsURL = "http://" + ln.Addr().String()
		}
	})
	if corsErr != nil {
		t.Fatal(corsErr)
	}
	return corsSrv, corsURL
}

// TestCORSPreflight: OPTIONS of a read route answers a browser's preflight
// with the methods and headers a page may send (Authorization among them,
// for API keys); OPTIONS of an import or admin route gets no CORS header.
func TestCORSPreflight(t *testing.T) {
	base := startAdmin(t)
	const origin = "http://maplibre.example:8081"
	tests := []struct {
		name, path, method string
		wantMethods        string // "" when the preflight must fail
	}{
		{"tilejson", "/tiles.json", "GET", "GET, HEAD, OPTIONS"},
		{"tile", "/tiles/12/3413/1663.mvt", "GET", "GET, HEAD, OPTIONS"},
		{"batch", "/api/v1/lookup", "POST", "GET, HEAD, POST, OPTIONS"},
		{"events", "/api/v1/events", "GET", "GET, OPTIONS"},
		{"import", "/api/v1/imports", "POST", ""},
		{"activate", "/api/v1/versions/v1/activate", "POST", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, h := corsDo(t, http.MethodOptions, base+tt.path, "", "Origin", origin,
				"Access-Control-Request-Method", tt.method, "Access-Control-Request-Headers", "authorization,content-type")
			if tt.wantMethods == "" {
				if h.Get("Access-Control-Allow-Origin") != "" || h.Get("Access-Control-Allow-Methods") != "" {
					t.Errorf("status %d, headers %v: a preflight of an import or admin route must fail", code, h)
				}
				return
			}
			if code != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Methods") != tt.wantMethods || h.Get("Allow") != tt.wantMethods {
				t.Errorf("status %d, headers %v; want 204 allowing %s", code, h, tt.wantMethods)
			}
			for _, want := range []string{"Authorization", "Content-Type", "Content-Encoding", "X-Request-ID"} {
				if !strings.Contains(h.Get("Access-Control-Allow-Headers"), want) {
					t.Errorf("Access-Control-Allow-Headers %q lacks %s", h.Get("Access-Control-Allow-Headers"), want)
				}
			}
			if h.Get("Access-Control-Max-Age") == "" {
				t.Error("no Access-Control-Max-Age")
			}
		})
	}
}

// TestCORSOrigins: with a list of origins, a listed origin is echoed and
// others get no CORS header, and every answer of a read route, preflights
// included, varies by Origin (a cache must not hand one origin's answer to
// another), tiles by Accept-Encoding too.
func TestCORSOrigins(t *testing.T) {
	_, base := corsServer(t)
	tests := []struct {
		name, method, path, origin, want string
	}{
		{"listed", "GET", "/tiles/0/0/0.mvt", "http://127.0.0.1:8081", "http://127.0.0.1:8081"},
		{"listed, other case", "GET", "/tiles.json", "https://WALL.example.gov.cn", "https://wall.example.gov.cn"},
		{"not listed", "GET", "/tiles/0/0/0.mvt", "http://127.0.0.1:9999", ""},
		{"no origin", "GET", "/api/v1/lookup?lon=120.285&lat=31.905", "", ""},
		{"preflight listed", "OPTIONS", "/api/v1/lookup", "https://wall.example.gov.cn", "https://wall.example.gov.cn"},
		{"preflight not listed", "OPTIONS", "/api/v1/lookup", "https://evil.example", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdrs := []string{"Accept-Encoding", "gzip", "Access-Control-Request-Method", "POST"}
			if tt.origin != "" {
				hdrs = append(hdrs, "Origin", tt.origin)
			}
			code, h := corsDo(t, tt.method, base+tt.path, "", hdrs...)
			if code >= 300 {
				t.Fatalf("status %d", code)
			}
			if got := h.Get("Access-Control-Allow-Origin"); got != tt.want {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tt.want)
			}
			vary := strings.Join(h.Values("Vary"), ", ")
			if !strings.Contains(vary, "Origin") {
				t.Errorf("Vary %q lacks Origin", vary)
			}
			if strings.HasPrefix(tt.path, "/tiles/") && !strings.Contains(vary, "Accept-Encoding") {
				t.Errorf("Vary %q of a tile lacks Accept-Encoding", vary)
			}
		})
	}
}

// TestCORSOptionsRefused: origins that a browser never sends are refused
// when the server is made, naming the origin.
func TestCORSOptionsRefused(t *testing.T) {
	start(t)
	cat, err := catalog.New(catalog.Options{Store: st, Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, origins := range [][]string{
		{"*", "https://a.example"},
		{"https://a.example/"},
		{"https://a.example/map"},
		{"a.example"},
		{"ftp://a.example"},
	} {
		_, err := server.New(context.Background(), server.Options{Versions: cat, CORS: server.CORSOptions{Origins: origins}})
		if err == nil || !strings.Contains(err.Error(), "cors") {
			t.Errorf("%q: error %v, want one naming cors", origins, err)
		}
	}
}

// TestCORSLookupAllocs: a cross-origin single lookup still allocates
// nothing in the handler and its middleware.
func TestCORSLookupAllocs(t *testing.T) {
	if raceBuild {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	s, _ := corsServer(t)
	h := s.Handler()
	req := httptest.NewRequest(http.MethodGet, "/api/v1/lookup?lon=120.28&lat=31.85", nil)
	req.Header.Set("Origin", "http://127.0.0.1:8081")
	// an incoming request id: observe's new id costs two allocations of
	// its own (TestLookupChainAllocs), not counted here
	req.Header.Set("X-Request-ID", "7d4a1b52-3c1e-4f7a-9a0e-1b2c3d4e5f60")
	w := &discardWriter{h: http.Header{}}
	h.ServeHTTP(w, req)
	if w.code != http.StatusOK || w.h.Get("Access-Control-Allow-Origin") == "" {
		t.Fatalf("status %d, headers %v", w.code, w.h)
	}
	n := testing.AllocsPerRun(2000, func() {
		clear(w.h)
		h.ServeHTTP(w, req)
	})
	if n != 0 {
		t.Errorf("%v allocations per request", n)
	}
}
