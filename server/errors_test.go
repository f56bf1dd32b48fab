package server_test

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/server"
)

// do sends method url with body of Content-Type ctype (when not empty) and
// returns the answer.
func do(t *testing.T, method, url, ctype, body string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		return resp.StatusCode, resp.Header, nil // a stream, which does not end
	}
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// TestUnknownParameters: on every route, a query parameter the route does
// not take is a 400 unknown_parameter naming it, and the ones it takes
// (with key, the API key, everywhere: an unknown key is then a 401 of the
// authorize middleware, not a 400) are answered.
func TestUnknownParameters(t *testing.T) {
	base := start(t)
	const batch = `{"points":[{"id":1,"lon":120.28,"lat":31.9}]}`
	for _, tc := range []struct {
		name, method, path, ctype, body string
		unknown                         string
		status                          int // 200: answered; 400: unknown named
	}{
		{"lookup", "GET", "/api/v1/lookup?lon=120.28&lat=31.9&lng=120", "", "", "lng", 400},
		{"lookup first unknown", "GET", "/api/v1/lookup?foo=1&lon=120.28&lat=31.9&bar=2", "", "", "foo", 400},
		{"lookup misspelt option", "GET", "/api/v1/lookup?lon=120.28&lat=31.9&layer=grids", "", "", "layer", 400},
		{"lookup empty name", "GET", "/api/v1/lookup?lon=120.28&lat=31.9&=1", "", "", "", 400},
		{"lookup key", "GET", "/api/v1/lookup?lon=120.28&lat=31.9&key=gm_x&crs=wgs84", "", "", "", 401},
		{"lookup escaped name", "GET", "/api/v1/lookup?l%6Fn=120.28&lat=31.9", "", "", "", 200},
		{"lookup empty pair", "GET", "/api/v1/lookup?lon=120.28&&lat=31.9", "", "", "", 200},
		{"batch point in the query", "POST", "/api/v1/lookup?lon=120.28", "application/json", batch, "lon", 400},
		{"batch unknown", "POST", "/api/v1/lookup?crs=gcj02&srs=1", "application/json", batch, "srs", 400},
		{"batch options", "POST", "/api/v1/lookup?crs=gcj02&layers=grids&key=k", "application/json", batch, "", 200},
		{"search", "GET", "/api/v1/search?q=3202&page=2", "", "", "page", 400},
		{"search known", "GET", "/api/v1/search?q=3202&limit=2&key=k", "", "", "", 401},
		{"versions", "GET", "/api/v1/versions?all=1", "", "", "all", 400},
		{"config", "GET", "/api/v1/config?debug", "", "", "debug", 400},
		{"events", "GET", "/api/v1/events?since=1", "", "", "since", 400},
		{"tilejson", "GET", "/tiles.json?access_token=x", "", "", "access_token", 400},
		{"tile", "GET", "/tiles/3/6/3.mvt?_=123", "", "", "_", 400},
		{"tile cache tag", "GET", "/tiles/3/6/3.mvt?v=v1&key=k", "", "", "", 401},
		{"versioned tile", "GET", "/tiles/v/v1/3/6/3.mvt?t=x&x=1", "", "", "x", 400},
		{"versioned tile tag", "GET", "/tiles/v/v1/3/6/3.mvt?t=x", "", "", "", 200},
		{"tile stats", "GET", "/api/v1/tiles/stats?reset=1", "", "", "reset", 400},
		{"health", "GET", "/healthz?verbose=1", "", "", "verbose", 400},
		{"static", "GET", "/static/js/api.js?v=2", "", "", "v", 400},
		{"escaped unknown", "GET", "/api/v1/versions?%61ll=1", "", "", "all", 400},
		{"page takes anything", "GET", "/?theme=dark&utm_source=x", "", "", "", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, h, b := do(t, tc.method, base+tc.path, tc.ctype, tc.body)
			if tc.status != http.StatusBadRequest {
				if code != tc.status {
					t.Fatalf("status %d, want %d: %s", code, tc.status, b)
				}
				return
			}
			p := server.MustProblem(t, http.StatusBadRequest, code, h, b)
			if p.Code != "unknown_parameter" || p.Param != tc.unknown || !strings.Contains(p.Detail, `"`+tc.unknown+`"`) {
				t.Errorf("%s, want unknown_parameter naming %q", b, tc.unknown)
			}
		})
	}
}

// TestUnknownActivateParameter: the admin route refuses an unknown
// parameter too.
func TestUnknownActivateParameter(t *testing.T) {
	base := startAdmin(t)
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/versions/v1/activate?force=1", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if p := server.MustProblem(t, http.StatusBadRequest, resp.StatusCode, resp.Header, b); p.Param != "force" {
		t.Errorf("%s, want force named", b)
	}
}

// TestRouteProblems: an unknown path is a 404 problem document; a known
// path with a method it does not take is a 405 whose Allow lists the
// methods it does take (HEAD with GET, but not for the event stream;
// OPTIONS, which echo answers for every path).
func TestRouteProblems(t *testing.T) {
	base := start(t)
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/nope", 404, ""},
		{"GET", "/api/v1/versions/v1/layers", 404, ""},
		{"GET", "/api/v2/lookup", 404, ""},
		{"POST", "/tiles/3/6/3.png", 405, "OPTIONS, GET, HEAD"},
		{"DELETE", "/api/v1/versions", 405, "OPTIONS, GET, HEAD"},
		{"PUT", "/api/v1/lookup", 405, "OPTIONS, GET, HEAD, POST"},
		{"POST", "/api/v1/events", 405, "OPTIONS, GET"},
		{"HEAD", "/api/v1/events", 405, "OPTIONS, GET"},
		{"GET", "/api/v1/imports", 405, "OPTIONS, POST"},
		{"GET", "/api/v1/versions/v1/activate", 405, "OPTIONS, POST"},
		{"PATCH", "/tiles.json", 405, "OPTIONS, GET, HEAD"},
		{"POST", "/healthz", 405, "OPTIONS, GET, HEAD"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			code, h, b := do(t, tc.method, base+tc.path, "", "")
			if tc.method == http.MethodHead {
				if code != tc.status || h.Get("Content-Type") != "application/problem+json" {
					t.Errorf("status %d %s, want %d with a problem document's type", code, h.Get("Content-Type"), tc.status)
				}
			} else {
				p := server.MustProblem(t, tc.status, code, h, b)
				want := map[int]string{404: "not_found", 405: "method_not_allowed"}[tc.status]
				if p.Code != want || p.Instance != tc.path {
					t.Errorf("%s, want code %s and instance %s", b, want, tc.path)
				}
			}
			if got, want := methods(h.Get("Allow")), methods(tc.allow); !slices.Equal(got, want) {
				t.Errorf("Allow %q, want %q", h.Get("Allow"), tc.allow)
			}
		})
	}
}

// methods returns the sorted methods of an Allow value.
func methods(allow string) []string {
	var m []string
	for _, s := range strings.Split(allow, ",") {
		if s = strings.TrimSpace(s); s != "" {
			m = append(m, s)
		}
	}
	slices.Sort(m)
	return m
}
