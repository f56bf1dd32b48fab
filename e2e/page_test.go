package e2e

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// resolutions are the screens the page is tested on: a 1080p panel and a 4K
// wall at 100 % (device pixel ratio 1).
var resolutions = []resolution{{1920, 1080}, {3840, 2160}}

type resolution struct{ W, H int64 }

func (r resolution) String() string { return fmt.Sprintf("%dx%d", r.W, r.H) }

// searchName is a grid the search must find by its name.
const searchName = "文定社区第03网格"

// gcjLon, gcjLat are typed as GCJ-02 coordinates (what a phone map app
// shows) in central Jiangyin.
const gcjLon, gcjLat = 120.2896, 31.9031

// TestPage drives the map page in Chromium at every resolution: it loads
// with no error and no outside request, finds a grid by name, shows the chain
// of a clicked point and of typed GCJ-02 coordinates as the API gives them,
// keeps the view in the address both ways, and draws both themes
// (screenshots in the artifacts). Then, with the page open, a new version is
// imported and the page must show it without a reload.
func TestPage(t *testing.T) {
	chromium := chromiumPath(t)
	srv := startServer(t)
	artifacts := artifactsDir(t)
	tj := fetchTileJSON(t, srv.Base)
	for _, res := range resolutions {
		t.Run(res.String(), func(t *testing.T) {
			p := openPage(t, chromium, srv.Base, res, artifacts)
			p.testLoad(tj)
			t.Run("search", func(t *testing.T) { p.with(t).testSearch(tj) })
			t.Run("hash", func(t *testing.T) { p.with(t).testHash(tj) })
			t.Run("click", func(t *testing.T) { p.with(t).testClick(tj) })
			t.Run("crs options", func(t *testing.T) { p.with(t).testCRSOptions() })
			t.Run("gcj02", func(t *testing.T) { p.with(t).testTypedCoordinates() })
			p.with(t).rec.check(t, srv.Base)
		})
	}
	t.Run("tablet", func(t *testing.T) {
		p := openPage(t, chromium, srv.Base, resolution{820, 1180}, artifacts)
		p.testTablet()
	})
	t.Run("publish", func(t *testing.T) {
		if srv.Data == "" {
			t.Skip("GRIDMAP_E2E_URL: the test does not own the data directory")
		}
		p := openPage(t, chromium, srv.Base, resolutions[0], artifacts)
		p.testPublish(tj, srv)
	})
}

// page is the browser tab of one resolution, shared by its steps.
type page struct {
	t         *testing.T
	ctx       context.Context
	rec       *recorder
	base      string
	res       resolution
	artifacts string
}

func openPage(t *testing.T, chromium, base string, res resolution, artifacts string) *page {
	ctx, rec := newBrowser(t, chromium, res.W, res.H)
	return &page{t: t, ctx: ctx, rec: rec, base: base, res: res, artifacts: artifacts}
}

// with returns the page for a subtest.
func (p *page) with(t *testing.T) *page {
	q := *p
	q.t = t
	return &q
}

func (p *page) navigate(u string) {
	p.t.Helper()
	// about:blank first, so that a URL differing only in its #hash loads anew.
	if err := chromedp.Do(p.ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(u)); err != nil {
		p.t.Fatalf("navigate %s: %v", u, err)
	}
	p.wait("page ready", `window.gridmapReady === true && window.gridmapIdle === true && !window.gridmapMoving`)
}

func (p *page) wait(what, cond string) {
	p.t.Helper()
	waitFor(p.t, p.ctx, p.rec, what, cond)
}

// settle waits until the map stands still and its tiles are drawn.
func (p *page) settle(what string) {
	p.t.Helper()
	p.wait(what, `!window.gridmapMoving && !window.gridmap._animatingZoom && window.gridmapIdle === true`)
	// one more frame for the labels canvas
	if err := chromedp.Do(p.ctx, chromedp.Sleep(150*time.Millisecond)); err != nil {
		p.t.Fatal(err)
	}
}

func eval[T any](p *page, js string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func (p *page) shot(name string) {
	p.t.Helper()
	screenshot(p.t, p.ctx, filepath.Join(p.artifacts, fmt.Sprintf("page-%s-%s.png", p.res, name)))
}

// testLoad opens the page: dark by default, the whole sample in view, at
// the size of the screen, names drawn.
func (p *page) testLoad(tj tileJSON) {
	p.t.Helper()
	p.navigate(p.base + "/")
	type info struct {
		W, H  int64
		Dark  bool
		Tiles string
	}
	got := eval[info](p, `({W: window.innerWidth, H: window.innerHeight,
		Dark: document.body.classList.contains('theme-dark'), Tiles: window.gridmapTilesURL})`)
	if got.W != p.res.W || got.H != p.res.H {
		p.t.Errorf("window %dx%d, want %s", got.W, got.H, p.res)
	}
	if !got.Dark {
		p.t.Error("the page does not start in the dark theme")
	}
	if !strings.Contains(got.Tiles, ".mvt") {
		p.t.Errorf("tile URL %q", got.Tiles)
	}
	p.settle("first view")
	p.shot("dark-overview")
}

// testSearch types a grid's name, picks the suggestion, and expects the map
// to fly to the grid, highlight it and show its code and chain.
func (p *page) testSearch(tj tileJSON) {
	var want struct {
		Results []struct {
			Layer  string     `json:"layer"`
			Code   string     `json:"code"`
			Name   string     `json:"name"`
			Bbox   [4]float64 `json:"bbox"`
			Center [2]float64 `json:"center"`
		} `json:"results"`
	}
	getJSON(p.t, p.base+"/api/v1/search?limit=1&q="+url.QueryEscape(searchName), &want)
	if len(want.Results) == 0 || want.Results[0].Name != searchName {
		p.t.Fatalf("the API does not find %s: %+v", searchName, want.Results)
	}
	r := want.Results[0]

	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.ID("search-input")),
		chromedp.SendKeys(chromedp.ID("search-input"), searchName)); err != nil {
		p.t.Fatalf("type %s: %v", searchName, err)
	}
	item := fmt.Sprintf(`#search-suggestions li[data-code=%q]`, r.Code)
	p.wait("suggestion "+r.Code, fmt.Sprintf(`document.querySelector(%q) !== null`, item))
	p.shot("search")
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(item))); err != nil {
		p.t.Fatalf("pick %s: %v", r.Code, err)
	}
	p.wait("#selected-code "+r.Code, fmt.Sprintf(
		`(document.getElementById('selected-code') || {}).textContent === %q && window.gridmapLookup.state === 'done'`, r.Code))
	p.settle("flight to " + r.Code)
	type view struct {
		Free  bool
		Zoom  int
		High  *string
		Chain []string
		Open  bool
	}
	got := eval[view](p, fmt.Sprintf(`(() => { const panel = document.getElementById('panel').getBoundingClientRect();
		const pt = window.gridmap.latLngToContainerPoint([%f, %f]);
		return { Free: pt.x > 0 && pt.y > 0 && pt.x < panel.left && pt.y < window.innerHeight,
		Zoom: window.gridmap.getZoom(), High: window.gridmapHighlighted,
		Chain: Array.from(document.querySelectorAll('#chain li')).map(li => li.dataset.layer + ':' + li.dataset.code),
		Open: !document.getElementById('search-suggestions').hidden}; })()`, r.Center[1], r.Center[0]))
	if !got.Free {
		p.t.Errorf("the grid's centre (%.6f, %.6f) is not on the map beside the panel", r.Center[0], r.Center[1])
	}
	if min := layerMinZoom(tj, r.Layer); got.Zoom < min {
		p.t.Errorf("zoom %d, below %s's first zoom %d", got.Zoom, r.Layer, min)
	}
	if got.High == nil || *got.High != r.Code {
		p.t.Errorf("highlighted %v, want %s", deref(got.High), r.Code)
	}
	if len(got.Chain) == 0 || got.Chain[0] != r.Layer+":"+r.Code {
		p.t.Errorf("chain %v, want it to start at %s:%s", got.Chain, r.Layer, r.Code)
	}
	if got.Open {
		p.t.Error("suggestions still open after the pick")
	}
	want2 := lookup(p.t, p.base, r.Center[0], r.Center[1])
	var wantChain []string
	started := false
	for _, c := range want2.Chain {
		started = started || c.Code == r.Code
		if started {
			wantChain = append(wantChain, c.Layer+":"+c.Code)
		}
	}
	if !slices.Equal(got.Chain, wantChain) {
		p.t.Errorf("chain %v, the API gives %v", got.Chain, wantChain)
	}
	p.shot("dark-search-result")
}

// testHash loads a link with #z/lat/lon/layers and expects that view and
// those layers; then moves the map and expects the address to follow, and
// changes the address and expects the map to follow.
func (p *page) testHash(tj tileJSON) {
	ids := layerIDs(tj)
	if len(ids) < 4 {
		p.t.Fatalf("want at least 4 layers, have %v", ids)
	}
	on := []string{ids[0], ids[1], ids[3]}
	p.navigate(fmt.Sprintf("%s/#15/%.5f/%.5f/%s", p.base, probeLat, probeLon, strings.Join(on, ",")))
	type view struct {
		Lat, Lon float64
		Zoom     int
		Visible  []string
		Checked  []string
		Hash     string
	}
	read := func() view {
		return eval[view](p, `(() => { const c = window.gridmap.getCenter(); return {
			Lat: c.lat, Lon: c.lng, Zoom: window.gridmap.getZoom(), Visible: window.gridmapVisibleLayers(),
			Checked: Array.from(document.querySelectorAll('#layer-list li')).filter(li => li.querySelector('input').checked).map(li => li.dataset.layer),
			Hash: window.location.hash}; })()`)
	}
	got := read()
	if got.Zoom != 15 || math.Abs(got.Lat-probeLat) > 1e-4 || math.Abs(got.Lon-probeLon) > 1e-4 {
		p.t.Errorf("view z%d %.5f/%.5f, want z15 %.5f/%.5f", got.Zoom, got.Lat, got.Lon, probeLat, probeLon)
	}
	if !slices.Equal(got.Visible, on) || !slices.Equal(got.Checked, on) {
		p.t.Errorf("visible layers %v, switched on %v, want %v", got.Visible, got.Checked, on)
	}

	// The map moves: the address follows.
	eval[bool](p, `window.gridmap.setView([31.91, 120.29], 14, {animate: false}), true`)
	p.settle("moved")
	if got := read(); got.Hash != "#14/31.91000/120.29000/"+strings.Join(on, ",") {
		p.t.Errorf("after a move the address is %q", got.Hash)
	}
	// A layer is switched on: the address follows.
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#layer-list li[data-layer=%q] input`, ids[2])))); err != nil {
		p.t.Fatal(err)
	}
	p.settle("layer on")
	want := []string{ids[0], ids[1], ids[2], ids[3]}
	if got := read(); got.Hash != "#14/31.91000/120.29000/"+strings.Join(want, ",") {
		p.t.Errorf("after switching %s on the address is %q", ids[2], got.Hash)
	}
	// The address changes (a wall controller, the back button): the map follows.
	two := []string{ids[0], ids[2]}
	eval[bool](p, fmt.Sprintf(`window.location.hash = '#13/31.89/120.27/%s', true`, strings.Join(two, ",")))
	p.wait("hashchange applied", `window.gridmap.getZoom() === 13`)
	p.settle("hash view")
	got = read()
	if math.Abs(got.Lat-31.89) > 1e-4 || math.Abs(got.Lon-120.27) > 1e-4 || !slices.Equal(got.Visible, two) {
		p.t.Errorf("after a hash change: %+v, want z13 31.89/120.27 %v", got, two)
	}
}

// testClick zooms to where micro grids are drawn, clicks the middle of the
// map with the mouse and compares the panel with /api/v1/lookup; then
// takes the dark and light screenshots of that view.
func (p *page) testClick(tj tileJSON) {
	ids := layerIDs(tj)
	finest := tj.VectorLayers[len(tj.VectorLayers)-1]
	for _, l := range tj.VectorLayers {
		if l.ID != "labels" {
			finest = l
		}
	}
	zoom := max(finest.MinZoom, 16)
	p.navigate(fmt.Sprintf("%s/#%d/%.5f/%.5f/%s", p.base, zoom, probeLat, probeLon, strings.Join(ids, ",")))

	type clickPoint struct{ X, Y, Lat, Lng float64 }
	pt := eval[clickPoint](p, `(() => {
		const r = document.getElementById('map').getBoundingClientRect();
		const x = Math.round(r.left + r.width / 2), y = Math.round(r.top + r.height / 2);
		const ll = window.gridmap.containerPointToLatLng([x - r.left, y - r.top]);
		return {X: x, Y: y, Lat: ll.lat, Lng: ll.lng};
	})()`)
	if err := chromedp.Do(p.ctx, chromedp.MouseClickXY(pt.X, pt.Y)); err != nil {
		p.t.Fatalf("click: %v", err)
	}
	p.wait("lookup after the click", `window.gridmapLookup && window.gridmapLookup.state === 'done' && document.getElementById('selected-code') !== null`)
	type panel struct {
		Code, Households, GridType string
		Chain                      []string
		Lat, Lon                   float64
	}
	got := eval[panel](p, `({
		Code: document.getElementById('selected-code').textContent.trim(),
		Households: document.getElementById('selected-households').textContent.trim(),
		GridType: document.getElementById('selected-grid-type').textContent.trim(),
		Chain: Array.from(document.querySelectorAll('#chain li')).map(li => li.dataset.layer + ':' + li.dataset.code),
		Lat: window.gridmapLookup.lat, Lon: window.gridmapLookup.lon})`)
	if math.Abs(got.Lat-pt.Lat) > 1e-6 || math.Abs(got.Lon-pt.Lng) > 1e-6 {
		p.t.Errorf("page looked up (%.7f, %.7f), the click was at (%.7f, %.7f) (lon, lat)", got.Lon, got.Lat, pt.Lng, pt.Lat)
	}
	want := lookup(p.t, p.base, got.Lon, got.Lat)
	if len(want.Chain) == 0 {
		p.t.Fatalf("lookup at (%.7f, %.7f) found no grid", got.Lon, got.Lat)
	}
	if got.Code != want.Chain[0].Code {
		p.t.Errorf("#selected-code = %q, the API gives %q", got.Code, want.Chain[0].Code)
	}
	if !slices.Equal(got.Chain, chainOf(want)) {
		p.t.Errorf("#chain = %v, the API gives %v", got.Chain, chainOf(want))
	}
	if got.Households == "" || got.Households == "–" || got.GridType == "" || got.GridType == "–" {
		p.t.Errorf("households %q, grid type %q: want both shown", got.Households, got.GridType)
	}
	p.settle("highlight")
	if h := eval[*string](p, `window.gridmapHighlighted`); h == nil || *h != want.Chain[0].Code {
		p.t.Errorf("highlighted %v, want %s", deref(h), want.Chain[0].Code)
	}
	if n := eval[int](p, `window.gridmapLabelsDrawn`); n == 0 {
		p.t.Errorf("no grid name drawn at zoom %d", zoom)
	}
	p.shot("dark")

	before := tilesLoaded(p.t, p.ctx)
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.ID("theme-toggle"))); err != nil {
		p.t.Fatalf("theme toggle: %v", err)
	}
	waitTiles(p.t, p.ctx, before, p.rec)
	p.settle("light theme")
	if !eval[bool](p, `document.body.classList.contains('theme-light')`) {
		p.t.Error("the toggle did not switch to the light theme")
	}
	p.shot("light")
	before = tilesLoaded(p.t, p.ctx)
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.ID("theme-toggle"))); err != nil {
		p.t.Fatalf("theme toggle: %v", err)
	}
	waitTiles(p.t, p.ctx, before, p.rec)
}

// staticCRS are the options of #coord-crs in index.html, which stay when
// /api/v1/config lists no coordinate_systems.
var staticCRS = []string{"wgs84=WGS84 / CGCS2000", "gcj02=GCJ-02（高德/腾讯）", "bd09=BD-09（百度）"}

// testCRSOptions expects the options of #coord-crs (id=label, in order) to be
// the coordinate_systems of /api/v1/config, or index.html's when it lists none.
func (p *page) testCRSOptions() {
	var cfg struct {
		CoordinateSystems []struct {
			ID    string `json:"id"`
			Label string `json:"label"`
		} `json:"coordinate_systems"`
	}
	getJSON(p.t, p.base+"/api/v1/config", &cfg)
	want := staticCRS
	if len(cfg.CoordinateSystems) > 0 {
		want = nil
		for _, c := range cfg.CoordinateSystems {
			if c.Label == "" {
				c.Label = c.ID // the page names a system without a label by its id
			}
			want = append(want, c.ID+"="+c.Label)
		}
	}
	got := eval[[]string](p, `Array.from(document.getElementById('coord-crs').options).map(o => o.value + '=' + o.textContent)`)
	if !slices.Equal(got, want) {
		p.t.Errorf("#coord-crs options = %q, want %q", got, want)
	}
}

// testTypedCoordinates types GCJ-02 coordinates and expects the chain the
// API gives with crs=gcj02, and the marker at the converted WGS84 point.
func (p *page) testTypedCoordinates() {
	want := lookup(p.t, p.base, gcjLon, gcjLat, "gcj02")
	if want.WGS84 == nil || len(want.Chain) == 0 {
		p.t.Fatalf("the API answers %+v for GCJ-02 (%v, %v)", want, gcjLon, gcjLat)
	}
	eval[bool](p, `document.getElementById('coord-lon').value = document.getElementById('coord-lat').value = '', true`)
	if err := chromedp.Do(p.ctx,
		chromedp.SendKeys(chromedp.ID("coord-lon"), fmt.Sprint(gcjLon)),
		chromedp.SendKeys(chromedp.ID("coord-lat"), fmt.Sprint(gcjLat)),
	); err != nil {
		p.t.Fatalf("type coordinates: %v", err)
	}
	// choose GCJ-02 as a user does: the select's value changes and it says so
	eval[bool](p, `(() => { const s = document.getElementById('coord-crs'); s.value = 'gcj02';
		s.dispatchEvent(new Event('change', {bubbles: true})); return s.value === 'gcj02'; })()`)
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.ID("coord-go"))); err != nil {
		p.t.Fatalf("submit coordinates: %v", err)
	}
	p.wait("GCJ-02 lookup", `window.gridmapLookup && window.gridmapLookup.crs === 'gcj02' && window.gridmapLookup.state === 'done' && window.gridmapMarker !== null`)
	p.settle("marker view")
	type panel struct {
		Chain  []string
		Marker []float64
		Coords string
	}
	got := eval[panel](p, `({
		Chain: Array.from(document.querySelectorAll('#chain li')).map(li => li.dataset.layer + ':' + li.dataset.code),
		Marker: window.gridmapMarker,
		Coords: document.getElementById('selected-coords').textContent})`)
	if !slices.Equal(got.Chain, chainOf(want)) {
		p.t.Errorf("#chain = %v, the API with crs=gcj02 gives %v", got.Chain, chainOf(want))
	}
	if len(got.Marker) != 2 || math.Abs(got.Marker[0]-want.WGS84.Lat) > 1e-7 || math.Abs(got.Marker[1]-want.WGS84.Lon) > 1e-7 {
		p.t.Errorf("marker at %v, the API converts to WGS84 (%v, %v) (lon, lat)", got.Marker, want.WGS84.Lon, want.WGS84.Lat)
	}
	if !strings.Contains(got.Coords, "GCJ-02") {
		p.t.Errorf("coordinates shown as %q, want the CRS named", got.Coords)
	}
	p.shot("dark-gcj02")
}

// testPublish opens the page on a micro grid, imports a version in which
// that grid has a new name, and expects the page to show the new version
// and the new name without loading the page again.
func (p *page) testPublish(tj tileJSON, srv gridmapServer) {
	const code = "320281001032001001"
	const newName = "天鹤社区第01网格第1微网格（更名）"
	var found struct {
		Results []struct {
			Code   string     `json:"code"`
			Name   string     `json:"name"`
			Center [2]float64 `json:"center"`
		} `json:"results"`
	}
	getJSON(p.t, p.base+"/api/v1/search?limit=1&q="+code, &found)
	if len(found.Results) == 0 || found.Results[0].Code != code {
		p.t.Fatalf("grid %s not found: %+v", code, found.Results)
	}
	g := found.Results[0]
	if g.Name == newName {
		p.t.Fatalf("grid %s already has the new name", code)
	}
	var health struct{ Version string }
	getJSON(p.t, p.base+"/healthz", &health)
	oldVersion := health.Version

	p.navigate(fmt.Sprintf("%s/#17/%.6f/%.6f/%s", p.base, g.Center[1], g.Center[0], strings.Join(layerIDs(tj), ",")))
	p.wait("version events", `window.gridmapLive === 'sse'`)
	clickAt := func() {
		p.t.Helper()
		type xy struct{ X, Y float64 }
		pt := eval[xy](p, fmt.Sprintf(`(() => { const r = document.getElementById('map').getBoundingClientRect();
			const c = window.gridmap.latLngToContainerPoint([%f, %f]); return {X: r.left + c.x, Y: r.top + c.y}; })()`, g.Center[1], g.Center[0]))
		if err := chromedp.Do(p.ctx, chromedp.MouseClickXY(pt.X, pt.Y)); err != nil {
			p.t.Fatalf("click: %v", err)
		}
	}
	clickAt()
	p.wait("old name", fmt.Sprintf(`(document.getElementById('selected-code') || {}).textContent === %q && window.gridmapLookup.state === 'done'`, code))
	if name := eval[string](p, `document.getElementById('selected-name').textContent`); name != g.Name {
		p.t.Fatalf("before the import the page shows %q, want %q", name, g.Name)
	}
	eval[bool](p, `window.gridmapSamePage = 'yes', true`)

	out, err := exec.Command(srv.Bin, "import", "--merge", "--data", srv.Data, filepath.Join("testdata", "microgrids.geojson")).CombinedOutput()
	if err != nil {
		p.t.Fatalf("gridmap import --merge: %v\n%s", err, out)
	}
	var newVersion string
	// how long a build takes depends on the machine's load (12.7 s seen at
	// load 15): the wait is for the switch, not a speed limit
	deadline := time.Now().Add(90 * time.Second)
	for {
		getJSON(p.t, p.base+"/healthz", &health)
		if health.Version != oldVersion {
			newVersion = health.Version
			break
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the server still serves %s 90 s after the import:\n%s", oldVersion, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Logf("imported %s → %s", oldVersion, newVersion)
	p.wait("new version on the page", fmt.Sprintf(
		`document.getElementById('version').textContent === %q && window.gridmapVersion === %q`, newVersion, newVersion))
	// The selection is asked about again: the new name appears by itself.
	p.wait("new name in the panel", fmt.Sprintf(
		`(document.getElementById('selected-name') || {}).textContent === %q`, newName))
	p.settle("tiles of the new version")
	if same := eval[string](p, `String(window.gridmapSamePage)`); same != "yes" {
		p.t.Errorf("the page was loaded again (window state lost)")
	}
	tilesURL := eval[string](p, `window.gridmapTilesURL`)
	if !strings.Contains(tilesURL, newVersion) {
		p.t.Errorf("tiles URL %q does not name version %s", tilesURL, newVersion)
	}
	// A click shows the new name too.
	eval[bool](p, `document.getElementById('selected-name').textContent = '', true`)
	clickAt()
	p.wait("new name after a click", fmt.Sprintf(
		`(document.getElementById('selected-name') || {}).textContent === %q && window.gridmapLookup.response.version === %q`, newName, newVersion))
	p.shot("dark-published")

	// The page document was requested once: no reload.
	p.rec.mu.Lock()
	docs := 0
	for _, raw := range p.rec.requests {
		if u, err := url.Parse(raw); err == nil && u.Path == "/" {
			docs++
		}
	}
	p.rec.mu.Unlock()
	if docs != 1 {
		p.t.Errorf("the page document was requested %d times", docs)
	}
	p.rec.check(p.t, p.base)
}

// testTablet opens the page on a portrait tablet with touch: the panel
// starts folded at the bottom with the search box in reach, its controls are
// large enough to tap, and it unfolds on a tap.
func (p *page) testTablet() {
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(p.res.W, p.res.H,
		chromedp.EmulateScale(2), chromedp.EmulateTouch, chromedp.EmulateMobile)); err != nil {
		p.t.Fatalf("tablet viewport: %v", err)
	}
	p.navigate(p.base + "/")
	type layout struct {
		Collapsed         string
		SearchTop, Bottom float64
		PanelTop          float64
		MinTap            float64
	}
	read := func() layout {
		return eval[layout](p, `(() => {
			const rect = id => document.getElementById(id).getBoundingClientRect();
			const taps = ['search-input', 'theme-toggle', 'panel-toggle', 'coord-go', 'coord-crs'].map(id => rect(id)).filter(r => r.height > 0);
			return {Collapsed: document.getElementById('panel').dataset.collapsed,
				SearchTop: rect('search-input').top, Bottom: window.innerHeight, PanelTop: rect('panel').top,
				MinTap: Math.min(...taps.map(r => Math.min(r.height, r.width)))};
		})()`)
	}
	got := read()
	if got.Collapsed != "true" {
		p.t.Errorf("panel collapsed = %q on a narrow screen, want true", got.Collapsed)
	}
	if got.PanelTop < got.Bottom/2 || got.SearchTop > got.Bottom {
		p.t.Errorf("panel at y=%.0f, search box at y=%.0f of %.0f: want a sheet at the bottom with the search box visible",
			got.PanelTop, got.SearchTop, got.Bottom)
	}
	p.shot("tablet-collapsed")
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.ID("panel-toggle"))); err != nil {
		p.t.Fatal(err)
	}
	got = read()
	if got.Collapsed != "false" {
		p.t.Errorf("after a tap on the toggle collapsed = %q", got.Collapsed)
	}
	if got.MinTap < 40 {
		p.t.Errorf("smallest control %.0f px, want at least 40 px to tap", got.MinTap)
	}
	p.shot("tablet-open")
	for _, e := range p.rec.errors {
		p.t.Errorf("page error: %s", e)
	}
}

func layerIDs(tj tileJSON) []string {
	var ids []string
	for _, l := range tj.VectorLayers {
		if l.ID != "labels" {
			ids = append(ids, l.ID)
		}
	}
	return ids
}

func layerMinZoom(tj tileJSON, id string) int {
	for _, l := range tj.VectorLayers {
		if l.ID == id {
			return l.MinZoom
		}
	}
	return 0
}

func chainOf(r lookupResponse) []string {
	var out []string
	for _, c := range r.Chain {
		out = append(out, c.Layer+":"+c.Code)
	}
	return out
}
