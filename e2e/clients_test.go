package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// crossOriginPage is a page of another origin that reads gridmap as a
// MapLibre GL JS map does: tiles.json, then a tile of its URL template at
// the last zoom with detail, with a request header of its own
// (X-Request-ID, which makes the browser send a preflight first). It
// leaves what it read in window.result.
const crossOriginPage = `<!doctype html><meta charset="utf-8"><title>other origin</title>
<script>
(async function () {
  var base = new URLSearchParams(location.search).get('base');
  try {
    var r = await fetch(base + '/tiles.json');
    var tj = await r.json();
    var z = tj.maxzoom, lon = tj.center[0], lat = tj.center[1], n = Math.pow(2, z);
    var x = Math.floor((lon + 180) / 360 * n);
    var s = Math.sin(lat * Math.PI / 180);
    var y = Math.floor((0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n);
    var u = tj.tiles[0].replace('{z}', z).replace('{x}', x).replace('{y}', y);
    var t = await fetch(u, { headers: { 'X-Request-ID': 'maplibre-like-1' } });
    var body = await t.arrayBuffer();
    window.result = { maxzoom: tj.maxzoom, attribution: tj.attribution || '', layers: tj.vector_layers.length,
      tile: u, tileStatus: t.status, tileBytes: body.byteLength, etag: t.headers.get('ETag') || '',
      requestID: t.headers.get('X-Request-ID') || '' };
  } catch (e) {
    window.result = { error: String(e) };
  }
})();
</script>`

// clientResult is window.result of crossOriginPage.
type clientResult struct {
	Error       string `json:"error"`
	MaxZoom     int    `json:"maxzoom"`
	Attribution string `json:"attribution"`
	Layers      int    `json:"layers"`
	Tile        string `json:"tile"`
	TileStatus  int    `json:"tileStatus"`
	TileBytes   int    `json:"tileBytes"`
	ETag        string `json:"etag"`
}

// TestCrossOriginClient: a page on another origin (another loopback port)
// reads tiles.json and a tile of the real server in Chromium, as a MapLibre
// map would (this failed without CORS: the browser hid both answers);
// tiles.json's maxzoom is the last zoom with detail, not 22, and credits the
// sample's CC BY 4.0 source. Then gridmap's own page, zoomed two levels
// past that maxzoom, still draws the grids from overzoomed tiles of
// maxzoom, shows every layer as in range, credits the data and requests
// no deeper tile.
func TestCrossOriginClient(t *testing.T) {
	chromium := chromiumPath(t)
	srv := startServer(t)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, crossOriginPage)
	}))
	defer other.Close()

	ctx, rec := newBrowser(t, chromium, 1280, 800)
	if err := chromedp.Do(ctx, chromedp.Navigate(other.URL+"/?base="+url.QueryEscape(srv.Base))); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	waitFor(t, ctx, rec, "the cross-origin reads", `window.result !== undefined`)
	js, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(window.result)`))
	if err != nil {
		t.Fatal(err)
	}
	var res clientResult
	if err := json.Unmarshal([]byte(js), &res); err != nil {
		t.Fatalf("%v: %s", err, js)
	}
	t.Logf("cross-origin page read: %s", js)
	if res.Error != "" {
		t.Fatalf("cross-origin fetch failed: %s (%s)", res.Error, rec.summary())
	}
	if res.MaxZoom < 14 || res.MaxZoom >= 22 || res.Layers < 6 {
		t.Errorf("tiles.json maxzoom %d with %d layers, want the last zoom with detail (below 22) and 5 layers and labels", res.MaxZoom, res.Layers)
	}
	if !strings.Contains(res.Attribution, "CC BY 4.0") {
		t.Errorf("tiles.json attribution %q does not credit the sample's CC BY 4.0 source", res.Attribution)
	}
	if res.TileStatus != 200 || res.TileBytes == 0 || res.ETag == "" {
		t.Errorf("tile %s: status %d, %d bytes, ETag %q readable; want 200, a body and the ETag", res.Tile, res.TileStatus, res.TileBytes, res.ETag)
	}

	// gridmap's page past maxzoom: overzoomed tiles, no deeper request
	p := openPage(t, chromium, srv.Base, resolution{1280, 800}, artifactsDir(t))
	p.navigate(srv.Base + "/")
	zoomTo(t, p.ctx, probeLat, probeLon, res.MaxZoom+2, p.rec)
	if n := countTiles(t, p.ctx); n == 0 {
		t.Errorf("no grid tile drawn at zoom %d", res.MaxZoom+2)
	}
	if out, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#layer-list li.out-of-range').length`)); err != nil || out != 0 {
		t.Errorf("%d layers greyed out as beyond their zooms at zoom %d (%v): they are overzoomed", out, res.MaxZoom+2, err)
	}
	attribution, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector('.leaflet-control-attribution').textContent`))
	if err != nil || !strings.Contains(attribution, "CC BY 4.0") {
		t.Errorf("the page's attribution %q (%v) does not credit the data", attribution, err)
	}
	p.rec.mu.Lock()
	defer p.rec.mu.Unlock()
	deeper := 0
	for _, u := range p.rec.requests {
		var z int
		if i := strings.Index(u, "/tiles/"); i >= 0 && strings.Contains(u, ".mvt") {
			parts := strings.Split(u[i+len("/tiles/"):], "/")
			if parts[0] == "v" && len(parts) > 2 {
				parts = parts[2:]
			}
			if _, err := fmt.Sscan(parts[0], &z); err == nil && z > res.MaxZoom {
				deeper++
			}
		}
	}
	if deeper > 0 {
		t.Errorf("%d tile requests deeper than maxzoom %d at zoom %d: the page does not overzoom", deeper, res.MaxZoom, res.MaxZoom+2)
	}
}
