package server_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/server"
)

const openAPIToken = "openapi-test-admin-token"

var (
	openAPIOnce   sync.Once
	openAPIURL    string
	openAPILayers string
	openAPIErr    error
)

// startOpenAPI runs a server of its own for TestOpenAPIAnswers, which
// imports and activates versions: the sample as v1, the admin token
// openAPIToken.
func startOpenAPI(t *testing.T) (base, layers string) {
	t.Helper()
	openAPIOnce.Do(func() {
		ctx := context.Background()
		st, dir, err := sampleStore(ctx, binaryDir("openapi"))
		if err != nil {
			openAPIErr = err
			return
		}
		openAPILayers = dir
		openAPIURL, openAPIErr = listen(ctx, catalog.Options{Store: st, Poll: -1}, server.Options{Auth: server.AuthOptions{AdminToken: openAPIToken}})
	})
	if openAPIErr != nil {
		t.Fatal(openAPIErr)
	}
	return openAPIURL, openAPILayers
}

// apiRow is one real request of TestOpenAPIAnswers and the status it wants.
type apiRow struct {
	name   string
	method string
	target string   // path and query
	header []string // "Name: value"
	body   string
	parts  []part // a multipart body instead
	gzip   bool   // send body gzip-compressed
	status int
	// bad: the request breaks the document on purpose, and the document
	// must say so
	bad bool
	// unrouted: the path or the method is not in the document (404, 405):
	// the answer is checked against the Problem schema alone (the
	// validator takes a HEAD for a GET, so HEAD /api/v1/events is not bad)
	unrouted bool
	// stream: read up to the first event, then hang up
	stream bool
	// idle: send the body, then nothing more (without ending it) until the
	// answer comes
	idle bool
	// want lists headers the answer must carry ("Name", or "Name: value"
	// for that value), or must not carry ("-Name")
	want []string
	// limit is the config key the answer must name in a "limit" member
	limit string
}

const (
	lookupQuery = "/api/v1/lookup?lon=120.285&lat=31.905"
	bearer      = "Authorization: Bearer " + openAPIToken
	// a tile of the sample with grids in it (central Jiangyin)
	sampleTile = "/14/13666/6658.mvt"
)

// TestOpenAPIAnswers sends real requests of every endpoint of the API to a
// real server (successes, errors of each kind, GET and HEAD, the batch
// formats, gzip, imports, activation) and validates each request and each
// answer against the OpenAPI document served at /api/v1/openapi.json: an
// answer that drifts from the document fails.
func TestOpenAPIAnswers(t *testing.T) {
	base, layers := startOpenAPI(t)
	county := fileText(t, filepath.Join(layers, "county.geojson"))
	tileJSON := getJSON(t, base+"/tiles.json")
	versioned := strings.TrimPrefix(tileJSON["gridmap:versioned_tiles"].([]any)[0].(string), base)
	versioned = strings.Replace(versioned, "/{z}/{x}/{y}.mvt", sampleTile, 1)

	rows := []apiRow{
		{name: "health", method: "GET", target: "/healthz", status: 200},
		{name: "health HEAD", method: "HEAD", target: "/healthz", status: 200},
		{name: "ready", method: "GET", target: "/readyz", status: 200},
		{name: "ready HEAD", method: "HEAD", target: "/readyz", status: 200},
		{name: "metrics", method: "GET", target: "/metrics", status: 200},
		{name: "metrics HEAD", method: "HEAD", target: "/metrics", status: 200},
		{name: "openapi", method: "GET", target: "/api/v1/openapi.json", status: 200},
		{name: "openapi HEAD", method: "HEAD", target: "/api/v1/openapi.json", status: 200},
		{name: "openapi not modified", method: "GET", target: "/api/v1/openapi.json", status: 304,
			header: []string{"If-None-Match: " + etagOf(t, base+"/api/v1/openapi.json")}},
		{name: "docs", method: "GET", target: "/api/docs", status: 200},
		{name: "docs HEAD", method: "HEAD", target: "/api/docs", status: 200},

		{name: "lookup", method: "GET", target: lookupQuery, status: 200},
		{name: "lookup HEAD", method: "HEAD", target: lookupQuery, status: 200},
		{name: "lookup options", method: "GET", target: lookupQuery + "&layers=grids,towns&boundary=2&nearest=50", status: 200},
		{name: "lookup gcj02", method: "GET", target: lookupQuery + "&crs=gcj02", status: 200},
		{name: "lookup outside", method: "GET", target: "/api/v1/lookup?lon=100&lat=30&nearest=100", status: 200},
		{name: "lookup lon not a number", method: "GET", target: "/api/v1/lookup?lon=x&lat=31.9", status: 400, bad: true},
		{name: "lookup lat out of range", method: "GET", target: "/api/v1/lookup?lon=120&lat=95", status: 400, bad: true},
		{name: "lookup lat missing", method: "GET", target: "/api/v1/lookup?lon=120", status: 400, bad: true},
		{name: "lookup unknown layer", method: "GET", target: lookupQuery + "&layers=streets", status: 400},
		{name: "lookup unknown crs", method: "GET", target: lookupQuery + "&crs=mars", status: 400},
		{name: "lookup nearest too far", method: "GET", target: lookupQuery + "&nearest=1e9", status: 400, bad: true},
		{name: "lookup unknown parameter", method: "GET", target: lookupQuery + "&lng=120", status: 400},
		{name: "lookup unknown key", method: "GET", target: lookupQuery, status: 401,
			header: []string{"Authorization: Bearer gm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, want: []string{"WWW-Authenticate"}},
		{name: "lookup unknown key in query", method: "GET", target: lookupQuery + "&key=gm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", status: 401},
		{name: "tile unknown key in query", method: "GET", target: "/tiles" + sampleTile + "?key=gm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", status: 401},
		{name: "lookup wrong method", method: "DELETE", target: "/api/v1/lookup", status: 405, bad: true, unrouted: true,
			want: []string{"Allow"}},
		{name: "lookup preflight", method: "OPTIONS", target: "/api/v1/lookup", status: 204,
			header: []string{"Origin: http://wall.example", "Access-Control-Request-Method: POST"},
			want:   []string{"Allow", "Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age"}},
		{name: "lookup cross-origin", method: "GET", target: lookupQuery, status: 200,
			header: []string{"Origin: http://wall.example"}, want: []string{"Access-Control-Allow-Origin: *", "Access-Control-Expose-Headers"}},

		{name: "batch json", method: "POST", target: "/api/v1/lookup", status: 200,
			header: []string{"Content-Type: application/json"}, body: `{"points":[{"id":"a","lon":120.285,"lat":31.905},{"id":2,"lon":100,"lat":30},{"lon":120.3,"lat":31.8}]}`},
		{name: "batch json gzip", method: "POST", target: "/api/v1/lookup?layers=grids", status: 200, gzip: true,
			header: []string{"Content-Type: application/json", "Content-Encoding: gzip"}, body: `{"points":[{"id":"a","lon":120.285,"lat":31.905}]}`},
		{name: "batch ndjson", method: "POST", target: "/api/v1/lookup?crs=wgs84", status: 200,
			header: []string{"Content-Type: application/x-ndjson"}, body: "{\"id\":\"a\",\"lon\":120.285,\"lat\":31.905}\n{\"id\":null,\"lon\":100,\"lat\":30}\n"},
		{name: "batch csv", method: "POST", target: "/api/v1/lookup", status: 200,
			header: []string{"Content-Type: text/csv"}, body: "id,lon,lat\na,120.285,31.905\nb,100,30\n"},
		{name: "batch csv gzip", method: "POST", target: "/api/v1/lookup", status: 200, gzip: true,
			header: []string{"Content-Type: text/csv", "Content-Encoding: gzip"}, body: "id,lon,lat\na,120.285,31.905\n"},
		{name: "batch bad point", method: "POST", target: "/api/v1/lookup", status: 400, bad: true,
			header: []string{"Content-Type: application/json"}, body: `{"points":[{"id":"a","lon":"x","lat":31.905}]}`},
		{name: "batch crs member", method: "POST", target: "/api/v1/lookup", status: 400, bad: true,
			header: []string{"Content-Type: application/json"}, body: `{"crs":"gcj02","points":[{"lon":120.285,"lat":31.905}]}`},
		{name: "batch ndjson bad line", method: "POST", target: "/api/v1/lookup", status: 400, bad: true,
			header: []string{"Content-Type: application/x-ndjson"}, body: "{\"lon\":120.285,\"lat\":31.905}\n{\"lon\":120.285}\n"},
		{name: "batch unsupported type", method: "POST", target: "/api/v1/lookup", status: 415, bad: true,
			header: []string{"Content-Type: text/plain"}, body: "120.285 31.905"},
		{name: "batch unsupported encoding", method: "POST", target: "/api/v1/lookup", status: 415, bad: true,
			header: []string{"Content-Type: text/csv", "Content-Encoding: br"}, body: "id,lon,lat\n"},
		{name: "batch unknown layer", method: "POST", target: "/api/v1/lookup?layers=streets", status: 400,
			header: []string{"Content-Type: text/csv"}, body: "id,lon,lat\na,120.285,31.905\n"},

		{name: "search", method: "GET", target: "/api/v1/search?q=%E6%BE%84%E6%B1%9F&limit=3", status: 200},
		{name: "search HEAD", method: "HEAD", target: "/api/v1/search?q=3202", status: 200},
		{name: "search no q", method: "GET", target: "/api/v1/search", status: 400, bad: true},
		{name: "search limit 0", method: "GET", target: "/api/v1/search?q=a&limit=0", status: 400, bad: true},

		{name: "config", method: "GET", target: "/api/v1/config", status: 200},
		{name: "config HEAD", method: "HEAD", target: "/api/v1/config", status: 200},
		{name: "events", method: "GET", target: "/api/v1/events", status: 200, stream: true},
		{name: "events HEAD", method: "HEAD", target: "/api/v1/events", status: 405, unrouted: true},

		{name: "tilejson", method: "GET", target: "/tiles.json", status: 200},
		{name: "tilejson HEAD", method: "HEAD", target: "/tiles.json", status: 200},
		{name: "tilejson preflight", method: "OPTIONS", target: "/tiles.json", status: 204,
			header: []string{"Origin: http://wall.example", "Access-Control-Request-Method: GET"}, want: []string{"Access-Control-Allow-Origin: *"}},
		{name: "tile preflight", method: "OPTIONS", target: "/tiles" + sampleTile, status: 204,
			header: []string{"Origin: http://wall.example", "Access-Control-Request-Method: GET", "Access-Control-Request-Headers: authorization"},
			want:   []string{"Access-Control-Allow-Origin: *", "Access-Control-Allow-Headers"}},
		{name: "tile", method: "GET", target: "/tiles" + sampleTile, status: 200},
		{name: "tile gzip", method: "GET", target: "/tiles" + sampleTile, status: 200, header: []string{"Accept-Encoding: gzip"}},
		{name: "tile HEAD", method: "HEAD", target: "/tiles" + sampleTile, status: 200},
		{name: "tile empty", method: "GET", target: "/tiles/0/0/0.mvt", status: 200},
		{name: "tile not modified", method: "GET", target: "/tiles" + sampleTile, status: 304,
			header: []string{"If-None-Match: " + etagOf(t, base+"/tiles"+sampleTile)}},
		{name: "tile outside the zoom", method: "GET", target: "/tiles/3/8/1.mvt", status: 400},
		{name: "tile zoom too deep", method: "GET", target: "/tiles/40/0/0.mvt", status: 400},
		{name: "tile not mvt", method: "GET", target: "/tiles/3/1/1.png", status: 404, bad: true, unrouted: true},
		{name: "versioned tile", method: "GET", target: versioned, status: 200},
		{name: "versioned tile HEAD", method: "HEAD", target: versioned, status: 200},
		{name: "versioned tile other version", method: "GET", target: "/tiles/v/v99" + sampleTile, status: 404},
		{name: "tile stats", method: "GET", target: "/api/v1/tiles/stats", status: 200},
		{name: "tile stats HEAD", method: "HEAD", target: "/api/v1/tiles/stats", status: 200},

		{name: "page", method: "GET", target: "/", status: 200},
		{name: "page HEAD", method: "HEAD", target: "/", status: 200},
		{name: "static", method: "GET", target: "/static/app.css", status: 200, want: []string{"ETag"}},
		{name: "static HEAD", method: "HEAD", target: "/static/app.css", status: 200, want: []string{"ETag"}},
		{name: "static not modified", method: "GET", target: "/static/app.css", status: 304,
			header: []string{"If-None-Match: " + etagOf(t, base+"/static/app.css")}},
		{name: "static missing", method: "GET", target: "/static/nope.js", status: 404},
		{name: "static range", method: "GET", target: "/static/app.css", status: 206, header: []string{"Range: bytes=0-9"}, want: []string{"Content-Range"}},
		{name: "static range past the end", method: "GET", target: "/static/app.css", status: 416,
			header: []string{"Range: bytes=99999999-"}, want: []string{"Content-Range", "Content-Type: application/problem+json"}},
		{name: "static range past the end HEAD", method: "HEAD", target: "/static/app.css", status: 416,
			header: []string{"Range: bytes=99999999-"}, want: []string{"Content-Type: application/problem+json"}},
		{name: "static precondition failed", method: "GET", target: "/static/app.css", status: 412,
			header: []string{`If-Match: "nope"`}, want: []string{"Content-Type: application/problem+json"}},
		{name: "unknown path", method: "GET", target: "/api/v1/nope", status: 404, bad: true, unrouted: true},

		{name: "versions", method: "GET", target: "/api/v1/versions", status: 200},
		{name: "versions HEAD", method: "HEAD", target: "/api/v1/versions", status: 200},
		{name: "version", method: "GET", target: "/api/v1/versions/v1", status: 200},
		{name: "version unknown", method: "GET", target: "/api/v1/versions/v99", status: 404},
		{name: "version malformed id", method: "GET", target: "/api/v1/versions/latest", status: 400, bad: true},
		{name: "import preflight", method: "OPTIONS", target: "/api/v1/imports", status: 204,
			header: []string{"Origin: http://wall.example", "Access-Control-Request-Method: POST"}, want: []string{"Allow", "-Access-Control-Allow-Origin"}},
		{name: "import dry run", method: "POST", target: "/api/v1/imports", status: 200,
			header: []string{bearer}, parts: []part{{"county", "county.geojson", county}, {"dry_run", "", "true"}}},
		{name: "import dry run partial", method: "POST", target: "/api/v1/imports", status: 200,
			header: []string{bearer}, parts: []part{{"county", "county.geojson", county}, {"dry_run", "", "true"}, {"partial", "", "microgrids"}}},
		{name: "import partial unknown", method: "POST", target: "/api/v1/imports", status: 400,
			header: []string{bearer}, parts: []part{{"county", "county.geojson", county}, {"dry_run", "", "true"}, {"partial", "", "compounds"}}},
		{name: "import streamed", method: "POST", target: "/api/v1/imports", status: 200,
			header: []string{bearer, "Accept: application/x-ndjson"}, parts: []part{{"county", "county.geojson", county}, {"dry_run", "", "true"}}},
		{name: "import rejected", method: "POST", target: "/api/v1/imports", status: 422,
			header: []string{bearer}, parts: []part{{"county", "county.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1"},"geometry":{"type":"Point","coordinates":[120,31]}}]}`}}},
		{name: "import unreadable", method: "POST", target: "/api/v1/imports", status: 400,
			header: []string{bearer}, parts: []part{{"county", "county.geojson", "not json"}}},
		{name: "import no file", method: "POST", target: "/api/v1/imports", status: 400,
			header: []string{bearer}, parts: []part{{"dry_run", "", "true"}}},
		{name: "import bad field", method: "POST", target: "/api/v1/imports", status: 400, bad: true,
			header: []string{bearer}, parts: []part{{"county", "county.geojson", county}, {"merge", "", "perhaps"}}},
		{name: "import no token", method: "POST", target: "/api/v1/imports", status: 401, bad: true,
			parts: []part{{"county", "county.geojson", county}}, want: []string{`WWW-Authenticate: Bearer realm="gridmap"`}},
		{name: "import wrong token", method: "POST", target: "/api/v1/imports", status: 401,
			header: []string{"Authorization: Bearer wrong"}, parts: []part{{"county", "county.geojson", county}}},
		{name: "import publishes", method: "POST", target: "/api/v1/imports", status: 201,
			header: []string{bearer}, parts: []part{{"county", "county.geojson", county}, {"who", "", "openapi test"}}},
		{name: "activate", method: "POST", target: "/api/v1/versions/v1/activate", status: 200, header: []string{bearer}},
		{name: "activate unknown", method: "POST", target: "/api/v1/versions/v99/activate", status: 404, header: []string{bearer}},
		{name: "activate malformed id", method: "POST", target: "/api/v1/versions/latest/activate", status: 400, bad: true, header: []string{bearer}},
		{name: "activate no token", method: "POST", target: "/api/v1/versions/v1/activate", status: 401, bad: true},
		{name: "versions after", method: "GET", target: "/api/v1/versions", status: 200},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) { r.run(t, base) })
	}
}

// run checks the row's request against the document, sends it and checks
// its status and its answer.
func (r apiRow) run(t *testing.T, base string) {
	body := []byte(r.body)
	ctype := ""
	if r.parts != nil {
		buf, ct := multipartBody(t, r.parts...)
		body, ctype = buf.Bytes(), ct
	}
	sent := body
	if r.gzip {
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		zw.Write(body)
		zw.Close()
		sent = zb.Bytes()
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var rd io.Reader = bytes.NewReader(sent)
	if r.idle {
		rd = io.MultiReader(rd, stalled{ctx})
	}
	req, err := http.NewRequestWithContext(ctx, r.method, base+r.target, rd)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for _, h := range r.header {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	checkRequest(t, req, body, r.gzip, r.bad)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b []byte
	if r.stream {
		b = firstEvent(t, resp.Body)
		cancel()
	} else if b, err = io.ReadAll(resp.Body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != r.status {
		t.Errorf("status %d, want %d: %.300s", resp.StatusCode, r.status, b)
	}
	r.checkHeaders(t, resp.Header)
	if r.limit != "" && !bytes.Contains(b, []byte(`"limit":"`+r.limit+`"`)) {
		t.Errorf("answer names no limit %s: %.300s", r.limit, b)
	}
	checkAnswer(t, req, resp, b, r.unrouted)
}

// checkHeaders checks the answer's headers h against the row's want.
func (r apiRow) checkHeaders(t *testing.T, h http.Header) {
	t.Helper()
	for _, w := range r.want {
		name, value, hasValue := strings.Cut(w, ": ")
		switch {
		case strings.HasPrefix(name, "-"):
			if v := h.Get(name[1:]); v != "" {
				t.Errorf("header %s: %q, want none", name[1:], v)
			}
		case h.Get(name) == "":
			t.Errorf("no header %s", name)
		case hasValue && h.Get(name) != value:
			t.Errorf("header %s: %q, want %q", name, h.Get(name), value)
		}
	}
}

// stalled is the rest of a body that never comes: reads wait until ctx
// ends.
type stalled struct{ ctx context.Context }

func (s stalled) Read([]byte) (int, error) {
	<-s.ctx.Done()
	return 0, s.ctx.Err()
}

// firstEvent reads an event stream up to the end of its first event.
func firstEvent(t *testing.T, body io.Reader) []byte {
	t.Helper()
	var b []byte
	br := bufio.NewReader(body)
	for !bytes.Contains(b, []byte("data: ")) || !bytes.HasSuffix(b, []byte("\n\n")) {
		line, err := br.ReadBytes('\n')
		b = append(b, line...)
		if err != nil {
			t.Fatalf("event stream: %v after %q", err, b)
		}
	}
	return b
}

// etagOf returns the ETag of a GET of url without Accept-Encoding.
func etagOf(t *testing.T, url string) string {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("ETag") == "" {
		t.Fatalf("%s: no ETag", url)
	}
	return resp.Header.Get("ETag")
}

// getJSON returns the JSON object of a GET of url.
func getJSON(t *testing.T, url string) map[string]any {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return m
}
