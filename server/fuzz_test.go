package server_test

import (
	"context"
	"encoding/json"
	"github.com/gridmap/gridmap/catalog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gridmap/gridmap/server"
)

// FuzzLookupQuery sends any query string to GET /api/v1/lookup through the
// server's handler: the answer is a 200 or a 4xx, its body is JSON (with an
// "error" member for a 4xx), and asking again gives the same answer, so no
// query leaves anything behind in the pooled scratch.
func FuzzLookupQuery(f *testing.F) {
	for _, q := range handlerQueries {
		f.Add(q)
	}
	for _, q := range []string{
		"", "lon=&lat=", "lon=1e400&lat=0", "lon=NaN&lat=Inf", "lon=120.28&lon=1&lat=31.85",
		"lon=120.28&lat=31.85&layers=,,,", "lon=120.28&lat=31.85&layers=%ZZ", "lon=120.28&lat=31.85&crs=BD09",
		"lon=120.28&lat=31.85&nearest=1e9", "lon=120.28&lat=31.85&boundary=-1", "lon=%31%32%30.28&lat=31.85",
		"lon=120.28;lat=31.85", "lon=120.28&lat=31.85&layers=microgrids&layers=county",
	} {
		f.Add(q)
	}
	start(f)
	s, _, err := server.NewTestServer(context.Background(), catalog.Options{Store: st, Poll: -1}, server.Options{})
	if err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	ask := func(q string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/lookup", nil)
		req.URL.RawQuery = q
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code, w.Body.String()
	}
	f.Fuzz(func(t *testing.T, q string) {
		code, body := ask(q)
		if code != http.StatusOK && (code < 400 || code > 499) {
			t.Fatalf("%q: status %d: %s", q, code, body)
		}
		var v map[string]json.RawMessage
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatalf("%q: status %d, body not a JSON object: %v: %s", q, code, err, body)
		}
		if _, ok := v["error"]; code != http.StatusOK && !ok {
			t.Fatalf("%q: status %d without an error member: %s", q, code, body)
		}
		if code2, body2 := ask(q); code2 != code || body2 != body {
			t.Fatalf("%q: asked again: %d %s, first %d %s", q, code2, body2, code, body)
		}
	})
}
