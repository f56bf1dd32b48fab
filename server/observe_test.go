package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/internal/syncbuf"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/version"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	dto "github.com/prometheus/client_model/go"
)

// observed runs a real server on loopback over the shared sample store, with
// options o, until the test ends.
func observed(t *testing.T, o server.Options) (string, *server.Server) {
	t.Helper()
	start(t) // the shared sample store
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	// tiles rendered, not read from the archive an earlier test's server
	// may have published for the shared store: the metrics count renders
	build := version.BuildOptions{TilesMaxZoom: -1}
	base, srv, err := listenServer(ctx, catalog.Options{Store: st, Poll: -1, Build: build}, o)
	if err != nil {
		t.Fatal(err)
	}
	return base, srv
}

// scrape reads the metrics of h (a /metrics URL) with expfmt's parser.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	code, _, body := get(t, url)
	if code != http.StatusOK {
		t.Fatalf("%s: %d %s", url, code, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s does not parse: %v", url, err)
	}
	return fams
}

// value returns the value of the sample of family name whose labels
// include want (name=value pairs), and whether there is one.
func value(fams map[string]*dto.MetricFamily, name string, want ...string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.Metric {
		labels := map[string]string{}
		for _, l := range m.Label {
			labels[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(want); i += 2 {
			if labels[want[i]] != want[i+1] {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		case m.Untyped != nil:
			return m.Untyped.GetValue(), true
		}
	}
	return 0, false
}

// TestMetrics sends known requests to a new server and checks that
// /metrics, read by an independent parser, moved by exactly their amounts.
func TestMetrics(t *testing.T) {
	base, _ := observed(t, server.Options{BuildInfo: server.BuildInfo{Version: "v9.9.9", Commit: "abc123"}})
	for _, q := range []string{"lon=120.285&lat=31.905", "lon=116.4&lat=39.9", "lon=120.28&lat=31.85&layers=grids"} {
		if code, _, b := get(t, base+"/api/v1/lookup?"+q); code != 200 {
			t.Fatalf("%s: %d %s", q, code, b)
		}
	}
	get(t, base+"/api/v1/lookup?lon=x&lat=31.9") // a 400 counts no lookup
	csv := "id,lon,lat\na,120.285,31.905\nb,120.28,31.85\nc,116.4,39.9\nd,120.3,31.9\ne,120.2,31.8\n"
	if code, _, b := server.Send(t, "POST", base+"/api/v1/lookup", csv, "Content-Type", "text/csv"); code != 200 {
		t.Fatalf("batch: %d %s", code, b)
	}
	for range 2 { // one render, one cache hit
		if code, _, b := get(t, base+"/tiles/12/3416/1663.mvt"); code != 200 {
			t.Fatalf("tile: %d %s", code, b)
		}
	}
	get(t, base+"/no/such/route")
	server.Send(t, "DELETE", base+"/api/v1/versions", "")

	fams := scrape(t, base+"/metrics")
	tests := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"gridmap_lookups_total", nil, 3},
		{"gridmap_batch_points_total", nil, 5},
		{"gridmap_http_requests_total", []string{"route", "lookup", "code", "200"}, 3},
		{"gridmap_http_requests_total", []string{"route", "lookup", "code", "400"}, 1},
		{"gridmap_http_requests_total", []string{"route", "lookup_batch", "code", "200"}, 1},
		{"gridmap_http_requests_total", []string{"route", "tile", "code", "200"}, 2},
		{"gridmap_http_requests_total", []string{"route", "unmatched", "code", "404"}, 1},
		{"gridmap_http_requests_total", []string{"route", "unmatched", "code", "405"}, 1},
		{"gridmap_http_request_duration_seconds", []string{"route", "lookup"}, 4},
		{"gridmap_http_request_duration_seconds", []string{"route", "tile"}, 2},
		{"gridmap_tile_renders_total", []string{"version", "v1"}, 1},
		{"gridmap_tile_cache_hits_total", []string{"version", "v1"}, 1},
		{"gridmap_tile_cache_tiles", []string{"version", "v1"}, 1},
		{"gridmap_active_version", []string{"version", "v1"}, 1},
		{"gridmap_active_version_unservable", nil, 0},
		{"gridmap_store_up", nil, 1},
		{"gridmap_build_info", []string{"version", "v9.9.9", "commit", "abc123"}, 1},
	}
	for _, tt := range tests {
		got, ok := value(fams, tt.name, tt.labels...)
		if !ok || got != tt.want {
			t.Errorf("%s%v = %v (present %v), want %v", tt.name, tt.labels, got, ok, tt.want)
		}
	}
	if age, ok := value(fams, "gridmap_active_version_age_seconds"); !ok || age <= 0 {
		t.Errorf("gridmap_active_version_age_seconds = %v (present %v), want > 0", age, ok)
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes", "go_info"} {
		if fams[name] == nil {
			t.Errorf("%s missing", name)
		}
	}
	// the scrape itself is counted by the next one
	if got, _ := value(scrape(t, base+"/metrics"), "gridmap_http_requests_total", "route", "metrics", "code", "200"); got != 1 {
		t.Errorf("metrics requests = %v, want 1", got)
	}
}

// TestImportMetrics counts a dry run and a rejected import by outcome.
func TestImportMetrics(t *testing.T) {
	base, _ := observed(t, server.Options{Auth: server.AuthOptions{AdminToken: adminToken}})
	county := fileText(t, filepath.Join(binaryDir("start"), "sample", "county.geojson"))
	good := part{"county", "county.geojson", county}
	steps := []struct {
		parts []part
		want  int
	}{
		{[]part{good, {field: "dry_run", value: "true"}, {field: "merge", value: "true"}}, 200},
		{[]part{{"grids", "grids.geojson", `{"type":"FeatureCollection","features":[`}, {field: "merge", value: "true"}}, 400},
		{[]part{{"grids", "grids.geojson", `{"type":"FeatureCollection","features":[`}, {field: "merge", value: "true"}}, 400},
	}
	for i, s := range steps {
		if code, _, b := post(t, base+"/api/v1/imports", adminToken, "", s.parts...); code != s.want {
			t.Fatalf("step %d: %d %s, want %d", i, code, b, s.want)
		}
	}
	fams := scrape(t, base+"/metrics")
	for _, tt := range []struct {
		name, outcome string
		want          float64
	}{
		{"gridmap_imports_total", "dry_run", 1},
		{"gridmap_imports_total", "rejected", 2},
		{"gridmap_imports_total", "published", 0},
		{"gridmap_import_duration_seconds", "rejected", 2},
	} {
		if got, _ := value(fams, tt.name, "outcome", tt.outcome); got != tt.want {
			t.Errorf("%s{outcome=%s} = %v, want %v", tt.name, tt.outcome, got, tt.want)
		}
	}
}

// idRE is what a made request id looks like.
var idRE = regexp.MustCompile(`^[0-9a-f]{12}-[0-9]+$`)

// TestRequestID: a valid incoming X-Request-ID is returned as it is; a
// missing or invalid one is replaced by a new id, different for each
// request; error answers, routed or not, carry it too.
func TestRequestID(t *testing.T) {
	base, _ := observed(t, server.Options{})
	lookup := base + "/api/v1/lookup?lon=120.285&lat=31.905"
	tests := []struct {
		name, url, in string
		keep          bool
	}{
		{"none", lookup, "", false},
		{"uuid", lookup, "7d4a1b52-3c1e-4f7a-9a0e-1b2c3d4e5f60", true},
		{"traceparent", lookup, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true},
		{"64 bytes", lookup, strings.Repeat("a", 64), true},
		{"65 bytes", lookup, strings.Repeat("a", 65), false},
		{"space", lookup, "abc def", false},
		{"quote", lookup, `abc"def`, false},
		{"newline escape", lookup, `abc\ndef`, false},
		{"non-ascii", lookup, "请求1", false},
		{"bad parameter", base + "/api/v1/lookup?lon=x&lat=1", "req-400", true},
		{"unmatched 404", base + "/no/such/route", "req-404", true},
		{"unmatched 405 made", base + "/api/v1/versions", "", false},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hdr []string
			if tt.in != "" {
				hdr = []string{"X-Request-ID", tt.in}
			}
			method := "GET"
			if strings.HasSuffix(tt.name, "405 made") {
				method = "DELETE"
			}
			_, h, _ := server.Send(t, method, tt.url, "", hdr...)
			got := h.Values("X-Request-ID")
			if len(got) != 1 {
				t.Fatalf("X-Request-ID %q, want one", got)
			}
			switch {
			case tt.keep && got[0] != tt.in:
				t.Errorf("X-Request-ID %q, want the incoming %q", got[0], tt.in)
			case !tt.keep && !idRE.MatchString(got[0]):
				t.Errorf("X-Request-ID %q, want a new id", got[0])
			case !tt.keep && seen[got[0]]:
				t.Errorf("X-Request-ID %q given twice", got[0])
			}
			seen[got[0]] = true
		})
	}
}

// logLines parses the JSON log lines of buf by request id.
func logLines(t *testing.T, buf *syncbuf.Buffer) map[string]map[string]any {
	t.Helper()
	lines := map[string]map[string]any{}
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if id, ok := m["id"].(string); ok {
			lines[id] = m
		}
	}
	return lines
}

// TestRequestLog sends requests with credentials in every place a client
// puts them and checks each one's log line: its fields and level, and that
// no credential appears anywhere in the log.
func TestRequestLog(t *testing.T) {
	var buf syncbuf.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	const secret = "gm_s3cr3tT0kenValue"
	// the secret is a valid credential (the bootstrap admin token), so that
	// every request is answered, and logged, as its row says
	base, _ := observed(t, server.Options{Logger: logger, Auth: server.AuthOptions{AdminToken: secret}})
	tests := []struct {
		name, method, path string
		hdr                []string
		route              string
		status             float64
		level, query       string
	}{
		{"lookup", "GET", "/api/v1/lookup?lon=120.285&lat=31.905", nil, "lookup", 200, "INFO", "lon=120.285&lat=31.905"},
		{"key in query", "GET", "/api/v1/lookup?lon=120.285&key=" + secret + "&lat=31.905", nil, "lookup", 200, "INFO", "lon=120.285&key=REDACTED&lat=31.905"},
		{"encoded key name", "GET", "/api/v1/lookup?k%65y=" + secret + "&lon=120.285&lat=31.905", nil, "lookup", 200, "INFO", "k%65y=REDACTED&lon=120.285&lat=31.905"},
		{"two keys", "GET", "/tiles.json?key=" + secret + "&key=" + secret, nil, "tilejson", 200, "INFO", "key=REDACTED&key=REDACTED"},
		{"bearer", "GET", "/api/v1/versions", []string{"Authorization", "Bearer " + secret}, "versions", 200, "INFO", ""},
		{"bad parameter", "GET", "/api/v1/lookup?lon=x&lat=31.9&key=" + secret, []string{"Authorization", "Bearer " + secret}, "lookup", 400, "WARN", "lon=x&lat=31.9&key=REDACTED"},
		{"unmatched", "GET", "/nope?key=" + secret, nil, "unmatched", 404, "WARN", "key=REDACTED"},
		{"health", "GET", "/healthz", nil, "healthz", 200, "DEBUG", ""},
		{"readiness", "GET", "/readyz", nil, "readyz", 200, "DEBUG", ""},
	}
	ids := map[string]string{}
	for i, tt := range tests {
		id := "log-test-" + string(rune('a'+i))
		ids[tt.name] = id
		code, _, b := server.Send(t, tt.method, base+tt.path, "", append([]string{"X-Request-ID", id}, tt.hdr...)...)
		if float64(code) != tt.status {
			t.Fatalf("%s: %d %s", tt.name, code, b)
		}
	}
	out := buf.String()
	if strings.Contains(out, secret) || strings.Contains(out, "s3cr3t") {
		t.Errorf("the log holds a credential:\n%s", out)
	}
	lines := logLines(t, &buf)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := lines[ids[tt.name]]
			if l == nil {
				t.Fatalf("no log line with id %s in\n%s", ids[tt.name], out)
			}
			path, _, _ := strings.Cut(tt.path, "?")
			want := map[string]any{"msg": "request", "level": tt.level, "method": tt.method, "route": tt.route, "path": path, "query": tt.query, "status": tt.status}
			for k, v := range want {
				if l[k] != v {
					t.Errorf("%s = %v, want %v", k, l[k], v)
				}
			}
			for _, k := range []string{"time", "bytes", "duration", "remote"} {
				if _, ok := l[k]; !ok {
					t.Errorf("no %s in %v", k, l)
				}
			}
		})
	}
}

// TestPprofOnlyOnAdmin: the main handler never serves pprof; the admin
// handler serves metrics, and pprof only when Options.Pprof is set.
func TestPprofOnlyOnAdmin(t *testing.T) {
	base, srv := observed(t, server.Options{Pprof: true})
	_, plain := observed(t, server.Options{})
	admin := httptest.NewServer(srv.AdminHandler())
	defer admin.Close()
	adminOff := httptest.NewServer(plain.AdminHandler())
	defer adminOff.Close()
	tests := []struct {
		name, url string
		want      int
	}{
		{"main pprof index", base + "/debug/pprof/", 404},
		{"main pprof cmdline", base + "/debug/pprof/cmdline", 404},
		{"main pprof heap", base + "/debug/pprof/heap", 404},
		{"admin pprof index", admin.URL + "/debug/pprof/", 200},
		{"admin pprof cmdline", admin.URL + "/debug/pprof/cmdline", 200},
		{"admin pprof heap", admin.URL + "/debug/pprof/heap?debug=1", 200},
		{"admin metrics", admin.URL + "/metrics", 200},
		{"admin without pprof", adminOff.URL + "/debug/pprof/", 404},
		{"admin without pprof, metrics", adminOff.URL + "/metrics", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, b := get(t, tt.url); code != tt.want {
				t.Errorf("%d, want %d: %.200s", code, tt.want, b)
			}
		})
	}
	if fams := scrape(t, admin.URL+"/metrics"); fams["gridmap_build_info"] == nil {
		t.Error("admin /metrics has no gridmap_build_info")
	}
}
