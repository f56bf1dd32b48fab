package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/server"
)

// fuzzHandler returns the handler of a server of the shared store (no admin
// token: imports and activations are refused before they read anything).
func fuzzHandler(f *testing.F) http.Handler {
	start(f)
	s, _, err := server.NewTestServer(context.Background(), catalog.Options{Store: st, Poll: -1}, server.Options{})
	if err != nil {
		f.Fatal(err)
	}
	return s.Handler()
}

// FuzzLookupQuery sends any query string to GET /api/v1/lookup through the
// server's handler: the answer is a 200 or a 4xx problem document, and
// asking again gives the same answer, so no query leaves anything behind in
// the pooled scratch.
func FuzzLookupQuery(f *testing.F) {
	for _, q := range handlerQueries {
		f.Add(q)
	}
	for _, q := range []string{
		"", "lon=&lat=", "lon=1e400&lat=0", "lon=NaN&lat=Inf", "lon=120.28&lon=1&lat=31.85",
		"lon=120.28&lat=31.85&layers=,,,", "lon=120.28&lat=31.85&layers=%ZZ", "lon=120.28&lat=31.85&crs=BD09",
		"lon=120.28&lat=31.85&nearest=1e9", "lon=120.28&lat=31.85&boundary=-1", "lon=%31%32%30.28&lat=31.85",
		"lon=120.28;lat=31.85", "lon=120.28&lat=31.85&layers=microgrids&layers=county",
		"lon=120.28&lat=31.85&lng=1", "l%6Fn=120.28&lat=31.85", "%zz=1", "=1&lon=120.28&lat=31.85", "lon=120.28&&lat=31.85&key=x",
	} {
		f.Add(q)
	}
	h := fuzzHandler(f)
	ask := func(q string) (int, http.Header, string) {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/lookup", nil)
		req.URL.RawQuery = q
		// one request id for both asks: an error names it
		req.Header.Set("X-Request-ID", "fuzz-lookup-query")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code, w.Header(), withoutRequestID(w.Body.String())
	}
	f.Fuzz(func(t *testing.T, q string) {
		code, h, body := ask(q)
		if code != http.StatusOK && (code < 400 || code > 499) {
			t.Fatalf("%q: status %d: %s", q, code, body)
		}
		if _, err := server.ProblemOf(code, h, []byte(body)); code != http.StatusOK && err != nil {
			t.Fatalf("%q: status %d: %v", q, code, err)
		}
		if code2, _, body2 := ask(q); code2 != code || body2 != body {
			t.Fatalf("%q: asked again: %d %s, first %d %s", q, code2, body2, code, body)
		}
	})
}

// fuzzMethods are the methods FuzzRequests picks from.
var fuzzMethods = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND"}

// fuzzTypes are the Content-Types FuzzRequests picks from, besides the
// fuzzed one.
var fuzzTypes = []string{"application/json", "application/x-ndjson", "text/csv", "multipart/form-data; boundary=x", ""}

// flushCancel is a recorder whose Flush ends the request: an event stream
// (which flushes at once) then returns instead of streaming forever.
type flushCancel struct {
	*httptest.ResponseRecorder
	cancel func()
}

func (w flushCancel) Flush() {
	w.ResponseRecorder.Flush()
	w.cancel()
}

// FuzzRequests sends any method (of fuzzMethods), path, query, Content-Type
// (or, for m of 128 and up, one of fuzzTypes) and body through the server's handler: a client's mistake is never a 5xx,
// and every answer of 400 or more is a problem document.
func FuzzRequests(f *testing.F) {
	for _, s := range []struct {
		method      uint8
		path, query string
		ctype       string
		body        string
	}{
		{0, "/api/v1/lookup", "lon=120.28&lat=31.9", "", ""},
		{2, "/api/v1/lookup", "crs=gcj02", "application/json", `{"points":[{"id":1,"lon":120.28,"lat":31.9}]}`},
		{2, "/api/v1/lookup", "", "text/csv", "id,lon,lat\n1,120.28,31.9\n"},
		{2, "/api/v1/lookup", "lon=1", "application/x-ndjson", `{"id":1,"lon":120.28,"lat":31.9}`},
		{2, "/api/v1/lookup", "", "application/json", `{"crs":"gcj02"}`},
		{0, "/api/v1/search", "q=3202&limit=5", "", ""},
		{0, "/api/v1/search", "q=3202&page=2", "", ""},
		{0, "/api/v1/versions", "", "", ""},
		{2, "/api/v1/versions/v1/activate", "", "", ""},
		{2, "/api/v1/imports", "", "multipart/form-data; boundary=x", "--x\r\n"},
		{0, "/api/v1/events", "", "", ""},
		{0, "/api/v1/config", "x=1", "", ""},
		{0, "/tiles.json", "", "", ""},
		{0, "/tiles/3/6/3.mvt", "v=1", "", ""},
		{1, "/tiles/v/v1/3/6/3.mvt", "t=abc", "", ""},
		{0, "/tiles/v/v9/99/0/0.mvt", "", "", ""},
		{0, "/api/v1/tiles/stats", "", "", ""},
		{0, "/", "theme=dark", "", ""},
		{0, "/static/js/main.js", "", "", ""},
		{0, "/static/../../etc/passwd", "", "", ""},
		{0, "/healthz", "", "", ""},
		{4, "/api/v1/lookup", "", "", ""},
		{6, "/tiles.json", "", "", ""},
		{8, "//api/v1//lookup/", "%zz", "", ""},
	} {
		f.Add(s.method, s.path, s.query, s.ctype, []byte(s.body))
	}
	h := fuzzHandler(f)
	f.Fuzz(func(t *testing.T, m uint8, path, query, ctype string, body []byte) {
		method := fuzzMethods[int(m)%len(fuzzMethods)]
		if m >= 128 {
			ctype = fuzzTypes[int(m)%len(fuzzTypes)]
		}
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req := httptest.NewRequest(method, "/", bytes.NewReader(body)).WithContext(ctx)
		req.URL.Path, req.URL.RawQuery = path, query
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		w := flushCancel{httptest.NewRecorder(), cancel}
		h.ServeHTTP(w, req)
		code, b := w.Code, w.Body.Bytes()
		if code >= 500 {
			t.Fatalf("%s %s?%s (%s): status %d: %s", method, path, query, ctype, code, b)
		}
		if _, err := server.ProblemOf(code, w.Header(), b); code >= 400 && err != nil {
			t.Fatalf("%s %s?%s (%s): status %d: %v", method, path, query, ctype, code, err)
		}
	})
}
