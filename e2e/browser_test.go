package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const (
	// The point the test looks at: central Jiangyin (澄江街道), inside the sample.
	probeLon, probeLat = 120.285, 31.905
	browserTimeout     = 3 * time.Minute
	pageWait           = 30 * time.Second
)

// chromiumPath is GRIDMAP_CHROMIUM or /usr/bin/chromium. A missing browser
// skips the test, but fails it in CI.
func chromiumPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("GRIDMAP_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium not found at %s (apt-get install -y chromium): %v", p, err)
		}
		t.Skipf("chromium not found at %s: %v", p, err)
	}
	return p
}

// newBrowser starts headless Chromium with a fresh profile and a w×h
// viewport, and records what the page requests and logs.
func newBrowser(t *testing.T, chromium string, viewportW, viewportH int64) (context.Context, *recorder) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.UserDataDir(t.TempDir()),
		// Chromium's singleton socket directory goes to $TMPDIR and stays
		// there when the browser is killed at the end of the test.
		chromedp.Env("TMPDIR="+t.TempDir()),
		chromedp.WindowSize(int(viewportW), int(viewportH)),
	)
	timeout, cancelTimeout := context.WithTimeout(context.Background(), browserTimeout)
	alloc, cancelAlloc := chromedp.NewExecAllocator(timeout, opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
		cancelTimeout()
	})

	rec := &recorder{}
	if err := chromedp.Listen(ctx, rec.event); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(viewportW, viewportH)); err != nil {
		t.Fatalf("viewport: %v", err)
	}
	return ctx, rec
}

// zoomTo moves the map without animation and waits until its tiles are drawn.
func zoomTo(t *testing.T, ctx context.Context, lat, lon float64, zoom int, rec *recorder) {
	t.Helper()
	before := tilesLoaded(t, ctx)
	js := fmt.Sprintf(`window.gridmap.setView([%g, %g], %d, {animate: false}), true`, lat, lon, zoom)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil {
		t.Fatalf("setView: %v", err)
	}
	waitTiles(t, ctx, before, rec)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.gridmap.getZoom()`))
	if err != nil || got != zoom {
		t.Fatalf("map zoom = %d (%v), want %d", got, err, zoom)
	}
}

func assertHighlighted(t *testing.T, ctx context.Context, code string) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[*string](`window.gridmapHighlighted`))
	if err != nil {
		t.Fatalf("gridmapHighlighted: %v", err)
	}
	if got == nil || *got != code {
		t.Errorf("highlighted grid = %v, want %s", deref(got), code)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func tilesLoaded(t *testing.T, ctx context.Context) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.gridmapTilesLoaded`))
	if err != nil {
		t.Fatalf("gridmapTilesLoaded: %v", err)
	}
	return n
}

// waitTiles waits until the page drew more than before tiles and none is
// loading: the tiles of a view that was just set or redrawn are all drawn.
func waitTiles(t *testing.T, ctx context.Context, before int, rec *recorder) {
	t.Helper()
	waitFor(t, ctx, rec, "tiles drawn",
		fmt.Sprintf(`window.gridmapIdle === true && window.gridmapTilesLoaded > %d`, before))
}

// waitFor evaluates the JavaScript condition until it is true. It fails the
// test after pageWait, or as soon as the page has logged an error.
func waitFor(t *testing.T, ctx context.Context, rec *recorder, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(pageWait)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		switch {
		case err != nil:
			t.Fatalf("waiting for %s: %v; %s", what, err, rec.summary())
		case ok:
			return
		case rec.failed():
			t.Fatalf("waiting for %s: the page logged errors; %s", what, rec.summary())
		case time.Now().After(deadline):
			t.Fatalf("waiting for %s: not true after %s; %s", what, pageWait, rec.summary())
		}
		if err := chromedp.Do(ctx, chromedp.Sleep(100*time.Millisecond)); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
	}
}

func countTiles(t *testing.T, ctx context.Context) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#map .leaflet-tile-container canvas, #map .leaflet-tile-container svg').length`))
	if err != nil {
		t.Fatalf("count tiles: %v", err)
	}
	return n
}

func screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("save screenshot: %v", err)
	}
	t.Logf("screenshot %s", path)
}

// recorder keeps the URLs the page requested and the errors it logged.
type recorder struct {
	mu       sync.Mutex
	requests []string
	errors   []string
}

func (r *recorder) event(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		if e.Request != nil {
			r.requests = append(r.requests, e.Request.URL)
		}
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		r.errors = append(r.errors, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range e.Args {
				if a.Value != nil {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			r.errors = append(r.errors, "console."+string(e.Type)+": "+strings.Join(parts, " "))
		}
	case *log.EventEntryAdded:
		if e.Entry != nil && e.Entry.Level == log.EntryLevelError {
			r.errors = append(r.errors, fmt.Sprintf("browser log (%s): %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL))
		}
	}
}

func (r *recorder) failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errors) > 0
}

func (r *recorder) summary() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Sprintf("%d requests, errors: %q", len(r.requests), r.errors)
}

// check fails the test for a request that left the loopback server, for any
// logged error, and when the page fetched no tile or no lookup.
func (r *recorder) check(t *testing.T, base string) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var tiles, lookups int
	for _, raw := range r.requests {
		u, err := url.Parse(raw)
		if err != nil {
			t.Errorf("request to unparsable URL %q: %v", raw, err)
			continue
		}
		switch u.Scheme {
		case "data", "blob":
			continue
		case "http", "https", "ws", "wss":
		default:
			t.Errorf("request with scheme %q: %s", u.Scheme, raw)
			continue
		}
		switch u.Hostname() {
		case "127.0.0.1", "localhost", "::1":
		default:
			t.Errorf("request left the machine: %s", raw)
		}
		if strings.HasSuffix(u.Path, ".mvt") {
			tiles++
		}
		if u.Path == "/api/v1/lookup" {
			lookups++
		}
	}
	if tiles == 0 {
		t.Errorf("the page requested no vector tile (base %s)", base)
	}
	if lookups == 0 {
		t.Errorf("the page requested no lookup")
	}
	for _, e := range r.errors {
		t.Errorf("page error: %s", e)
	}
	t.Logf("%d requests, %d tiles, %d lookups", len(r.requests), tiles, lookups)
}

type tileJSON struct {
	Tiles        []string `json:"tiles"`
	VectorLayers []struct {
		ID      string `json:"id"`
		MinZoom int    `json:"minzoom"`
		MaxZoom int    `json:"maxzoom"`
	} `json:"vector_layers"`
}

func fetchTileJSON(t *testing.T, base string) tileJSON {
	t.Helper()
	var tj tileJSON
	getJSON(t, base+"/tiles.json", &tj)
	if len(tj.VectorLayers) == 0 {
		t.Fatalf("tiles.json has no vector_layers")
	}
	return tj
}

type lookupResponse struct {
	Version string `json:"version"`
	WGS84   *struct {
		Lon float64 `json:"lon"`
		Lat float64 `json:"lat"`
	} `json:"wgs84"`
	Chain []struct {
		Layer string `json:"layer"`
		Code  string `json:"code"`
		Name  string `json:"name"`
	} `json:"chain"`
}

// lookup asks the API which grids hold (lon, lat) in crs ("" for WGS84).
func lookup(t *testing.T, base string, lon, lat float64, crs ...string) lookupResponse {
	t.Helper()
	q := url.Values{}
	q.Set("lon", strconv.FormatFloat(lon, 'f', 7, 64))
	q.Set("lat", strconv.FormatFloat(lat, 'f', 7, 64))
	if len(crs) > 0 && crs[0] != "" {
		q.Set("crs", crs[0])
	}
	var res lookupResponse
	getJSON(t, base+"/api/v1/lookup?"+q.Encode(), &res)
	return res
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: decode: %v", u, err)
	}
}
