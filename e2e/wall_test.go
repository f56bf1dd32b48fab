package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// wallToken is the bootstrap admin token of the server the wall test starts.
const wallToken = "e2e-wall-admin-token"

// wallWorker is the grid worker the test puts on the probe's finest grid.
const wallWorker, wallWorkerName, wallPhone = "S9001", "王小明", "13800001111"

// TestWall drives the incidents wall in Chromium: with the page open,
// incidents posted over HTTP recolour their grid and appear in the side
// panel without a reload; a click on the grid shows its figures and
// people; one incident is followed through its whole loop to closed from
// the page's buttons. Screenshots at 1920×1080 and 3840×2160 go to the
// artifacts.
func TestWall(t *testing.T) {
	chromium := chromiumPath(t)
	srv, token := startWallServer(t)
	artifacts := artifactsDir(t)
	tj := fetchTileJSON(t, srv.Base)
	api := apiClient{base: srv.Base, token: token}
	probe := lookup(t, srv.Base, probeLon, probeLat)
	if len(probe.Chain) < 2 {
		t.Fatalf("the probe point has chain %+v, want at least two grids", probe.Chain)
	}
	api.importStaff(t, probe.Chain[0].Code)

	var id int64
	t.Run(resolutions[0].String(), func(t *testing.T) {
		p := openPage(t, chromium, srv.Base, resolutions[0], artifacts)
		p.openWall(token)
		t.Run("classes", func(t *testing.T) { p.with(t).testClasses() })
		id = p.testLive(api, tj, probe)
		t.Run("grid", func(t *testing.T) { p.with(t).testGridInfo(probe) })
		t.Run("loop", func(t *testing.T) { p.with(t).testLoop(api, id) })
		t.Run("incident tiles", func(t *testing.T) { p.with(t).testIncidentTiles() })
		p.checkScale(15)
		p.rec.check(t, srv.Base)
	})
	t.Run("anonymous", func(t *testing.T) {
		p := openPage(t, chromium, srv.Base, resolutions[0], artifacts)
		p.testAnonymous(tj, probe)
	})
	t.Run("worker phone", func(t *testing.T) {
		if srv.Bin == "" {
			t.Skip("GRIDMAP_E2E_URL: the test cannot add a key to the server's data directory")
		}
		p := openPage(t, chromium, srv.Base, resolution{412, 915}, artifacts)
		p.testWorker(api, srv)
	})
	t.Run(resolutions[1].String(), func(t *testing.T) {
		if id == 0 {
			t.Skip("no incident from the 1920×1080 run")
		}
		p := openPage(t, chromium, srv.Base, resolutions[1], artifacts)
		p.openWall(token)
		p.openIncident(id)
		p.wait("detail closed", `document.getElementById('incident-detail').dataset.status === 'closed'`)
		p.clickNear(probeLat, probeLon)
		p.wait("grid figures", `document.getElementById('grid-info').dataset.state === 'done'`)
		p.settle("4K wall")
		p.shot("wall-4k")
		p.checkScale(24)
		p.rec.check(t, srv.Base)
	})
}

// startWallServer starts a server with a known admin token, or takes
// GRIDMAP_E2E_URL's with the token in GRIDMAP_E2E_ADMIN_TOKEN.
func startWallServer(t *testing.T) (gridmapServer, string) {
	t.Helper()
	if os.Getenv("GRIDMAP_E2E_URL") != "" {
		tok := os.Getenv("GRIDMAP_E2E_ADMIN_TOKEN")
		if tok == "" {
			t.Skip("GRIDMAP_E2E_URL without GRIDMAP_E2E_ADMIN_TOKEN: the wall test needs an admin key")
		}
		return startServer(t), tok
	}
	return startServer(t, "GRIDMAP_ADMIN_TOKEN="+wallToken), wallToken
}

// openWall opens the page with the admin key and waits until the grids are
// coloured and the stream is open.
func (p *page) openWall(token string) {
	p.t.Helper()
	p.navigate(p.base + "/?key=" + url.QueryEscape(token))
	p.wait("wall ready", `window.gridmapMarks.firstPaint !== undefined && window.gridmapStream === 'open'
		&& window.gridmapMe && window.gridmapMe.role === 'admin'
		&& document.querySelector('#legend li') !== null`)
	if got := eval[string](p, `window.location.search`); strings.Contains(got, "key=") {
		p.t.Errorf("the key stays in the address: %q", got)
	}
}

// testClasses checks the class breaks and colours of classes.js over a
// table of values.
func (p *page) testClasses() {
	cases := []struct {
		values string
		n      int
		want   string
	}{
		{`[]`, 5, `[]`},
		{`[3]`, 5, `[3]`},
		{`[1,1,1,1]`, 5, `[1]`},
		{`[1,2,3,4,5,6,7,8,9,10]`, 5, `[2,4,6,8,10]`},
		{`[10,9,8,7,6,5,4,3,2,1]`, 5, `[2,4,6,8,10]`},
		{`[0,0,0,0,0,0,0,0,0,100]`, 5, `[0,100]`},
		{`[0.5,0.9,0.99,1]`, 5, `[0.5,0.9,0.99,1]`},
		{`[1,2,NaN,3]`, 3, `[1,2,3]`},
	}
	for _, c := range cases {
		js := fmt.Sprintf(`import('/static/js/classes.js').then(m => JSON.stringify(m.breaks(%s, %d)))`, c.values, c.n)
		got, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
		if err != nil {
			p.t.Fatalf("breaks(%s): %v", c.values, err)
		}
		if got != c.want {
			p.t.Errorf("breaks(%s, %d) = %s, want %s", c.values, c.n, got, c.want)
		}
	}
	js := `import('/static/js/classes.js').then(m => JSON.stringify([
		m.classOf(0, [2,4,6]), m.classOf(2, [2,4,6]), m.classOf(3, [2,4,6]), m.classOf(9, [2,4,6]),
		m.colourOf('counts', 0, 5), m.colourOf('counts', 4, 5), m.colourOf('counts', 1, 2),
		m.closureRate({total: 10, closed: 6, rejected: 2}), m.closureRate({total: 1, closed: 0, rejected: 1})]))`
	got, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatal(err)
	}
	if want := `[0,0,1,2,"#ffffb2","#bd0026","#bd0026",0.75,0]`; got != want {
		p.t.Errorf("classOf, colourOf, closureRate = %s, want %s", got, want)
	}
}

// testLive colours the probe's finest layer by count, posts enough
// incidents into the probe's finest grid to make it the busiest, and
// expects its fill to turn to the top class and the last incident to head
// the latest list, without a reload. It returns that incident's id.
func (p *page) testLive(api apiClient, tj tileJSON, probe lookupResponse) int64 {
	p.t.Helper()
	g := probe.Chain[0]
	zoomTo(p.t, p.ctx, probeLat, probeLon, layerMinZoom(tj, g.Layer)+2, p.rec)
	eval[bool](p, fmt.Sprintf(`window.gridmapSetLevel(%q), true`, g.Layer))
	p.wait("level "+g.Layer, fmt.Sprintf(`window.gridmapMetric.level === %q`, g.Layer))
	p.settle("level " + g.Layer)
	p.shot("wall-before")
	before := eval[string](p, fmt.Sprintf(`(window.gridmapFeatureStyle(%q) || {}).fillColor || ''`, g.Code))
	if before == "" {
		p.t.Fatalf("grid %s is not drawn at the probe", g.Code)
	}

	eval[bool](p, `window.wallNoReload = true`)
	most, own := api.layerCounts(p.t, g.Layer, g.Code)
	n := most - own + 1
	if n > 3000 {
		p.t.Fatalf("grid %s needs %d incidents to be the busiest of %s", g.Code, n, g.Layer)
	}
	last := api.postIncidents(p.t, n, probeLon, probeLat)
	p.t.Logf("posted %d incidents into %s (most in a grid before: %d, this one: %d), last #%d", n, g.Code, most, own, last)

	p.wait("incident #"+fmt.Sprint(last)+" listed", fmt.Sprintf(
		`document.querySelector('#latest-list li[data-id="%d"]') !== null`, last))
	p.wait("grid "+g.Code+" recoloured", fmt.Sprintf(
		`(s => s && s.fill && s.fillColor === '#bd0026')(window.gridmapFeatureStyle(%q))`, g.Code))
	after := eval[string](p, fmt.Sprintf(`window.gridmapFeatureStyle(%q).fillColor`, g.Code))
	if after == before {
		p.t.Errorf("grid %s fill stayed %s", g.Code, before)
	}
	if n := eval[int](p, `window.gridmapPulses`); n == 0 {
		p.t.Error("no new incident is marked on the map")
	}
	if !eval[bool](p, `window.wallNoReload === true`) {
		p.t.Error("the page was reloaded")
	}
	p.settle("incidents drawn")
	p.shot("wall-live")
	return last
}

// testGridInfo clicks beside the new incidents' marker, inside the probe's
// finest grid, and expects the grid's figures as the API gives them and
// the worker put on it, unmasked for the admin key.
func (p *page) testGridInfo(probe lookupResponse) {
	p.t.Helper()
	p.clickNear(probeLat, probeLon)
	p.wait("grid figures", `document.getElementById('grid-info').dataset.state === 'done'`)
	type lookupChain struct {
		Chain []struct{ Layer, Code string }
	}
	got := eval[lookupChain](p, `window.gridmapLookup.response`)
	if len(got.Chain) == 0 || got.Chain[0].Code != probe.Chain[0].Code {
		p.t.Fatalf("the click beside the probe found %+v, want %s", got.Chain, probe.Chain[0].Code)
	}
	code := eval[string](p, `document.getElementById('grid-info').dataset.code`)
	var want struct {
		Grid struct {
			Total   int `json:"total"`
			Overdue int `json:"overdue"`
		} `json:"grid"`
	}
	getJSON(p.t, p.base+"/api/v1/stats?grid="+url.QueryEscape(code), &want)
	if total := eval[string](p, `document.getElementById('grid-total').textContent`); total != fmt.Sprint(want.Grid.Total) {
		p.t.Errorf("grid %s total shown %s, API %d", code, total, want.Grid.Total)
	}
	person := fmt.Sprintf(`#grid-people ul.people[data-grid=%q] li[data-id=%q]`, probe.Chain[0].Code, wallWorker)
	p.wait("worker "+wallWorker, fmt.Sprintf(`document.querySelector(%q) !== null`, person))
	if phone := eval[string](p, fmt.Sprintf(`document.querySelector(%q).querySelector('.phone').textContent`, person)); phone != wallPhone {
		p.t.Errorf("worker's phone shown to the admin as %q, want %s", phone, wallPhone)
	}
	p.shot("wall-grid")
}

// testAnonymous opens the wall without a key: the grid's worker is shown
// with a masked phone and no incident offers an action.
func (p *page) testAnonymous(tj tileJSON, probe lookupResponse) {
	p.t.Helper()
	p.navigate(p.base + "/")
	p.wait("wall ready", `window.gridmapMarks.firstPaint !== undefined && window.gridmapStream === 'open'`)
	g := probe.Chain[0]
	zoomTo(p.t, p.ctx, probeLat, probeLon, layerMinZoom(tj, g.Layer)+2, p.rec)
	p.clickNear(probeLat, probeLon)
	p.wait("grid figures", `document.getElementById('grid-info').dataset.state === 'done'`)
	person := fmt.Sprintf(`#grid-people ul.people[data-grid=%q] li[data-id=%q]`, g.Code, wallWorker)
	p.wait("worker "+wallWorker, fmt.Sprintf(`document.querySelector(%q) !== null`, person))
	phone := eval[string](p, fmt.Sprintf(`document.querySelector(%q).querySelector('.phone').textContent`, person))
	if phone == wallPhone || !strings.Contains(phone, "*") {
		p.t.Errorf("worker's phone shown to an anonymous viewer as %q, want it masked", phone)
	}
	item := `#latest-list li[data-id]`
	p.wait("an incident listed", fmt.Sprintf(`document.querySelector(%q) !== null`, item))
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(item))); err != nil {
		p.t.Fatalf("click incident: %v", err)
	}
	p.wait("incident detail", `document.getElementById('incident-detail').dataset.state === 'done'`)
	if n := eval[int](p, `document.querySelectorAll('#incident-actions button').length`); n != 0 {
		p.t.Errorf("an anonymous viewer is offered %d actions", n)
	}
	p.shot("wall-anonymous")
	for _, e := range p.rec.errors {
		p.t.Errorf("page error: %s", e)
	}
}

// testWorker gives the grid's worker a key of its own, dispatches a new
// incident to the worker over the API and, on a phone-sized page with that
// key, expects it in the worker's task list, with the worker's own steps
// only, and takes it to handled.
func (p *page) testWorker(api apiClient, srv gridmapServer) {
	p.t.Helper()
	out, err := exec.Command(srv.Bin, "keys", "add", "--data", srv.Data, "--name", "worker-phone",
		"--role", "grid_worker", "--staff", wallWorker).Output()
	if err != nil {
		p.t.Fatalf("gridmap keys add: %v", err)
	}
	token := strings.TrimSpace(string(out))
	id := api.postIncidents(p.t, 1, probeLon, probeLat)
	for _, a := range []string{"assess", "dispatch"} {
		api.do(p.t, http.MethodPost, fmt.Sprintf("/api/v1/incidents/%d/actions", id), "application/json",
			[]byte(`{"action":"`+a+`"}`), nil)
	}
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(p.res.W, p.res.H,
		chromedp.EmulateScale(2), chromedp.EmulateTouch, chromedp.EmulateMobile)); err != nil {
		p.t.Fatalf("phone viewport: %v", err)
	}
	// the server reads the keys file again within a second of its change
	worker := apiClient{base: api.base, token: token}
	for deadline := time.Now().Add(pageWait); ; {
		var m struct{ Staff string }
		if _, err := worker.send(http.MethodGet, "/api/v1/me", "", nil, &m); err == nil && m.Staff == wallWorker {
			break
		} else if time.Now().After(deadline) {
			p.t.Fatalf("the worker's key is not known after %s: %v, staff %q", pageWait, err, m.Staff)
		}
		time.Sleep(200 * time.Millisecond)
	}
	p.navigate(p.base + "/?key=" + url.QueryEscape(token))
	item := fmt.Sprintf(`#mine-list li[data-id="%d"]`, id)
	p.wait("task listed", fmt.Sprintf(`document.querySelector(%q) !== null`, item))
	if !eval[bool](p, fmt.Sprintf(`document.querySelector(%q).getBoundingClientRect().height > 0`, item)) {
		p.t.Error("the worker's task list is not shown on a phone")
	}
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(item))); err != nil {
		p.t.Fatalf("click task: %v", err)
	}
	p.wait("task detail", fmt.Sprintf(
		`(d => d.dataset.id === '%d' && d.dataset.state === 'done')(document.getElementById('incident-detail'))`, id))
	got := eval[[]string](p, `Array.from(document.querySelectorAll('#incident-actions button')).map(b => b.dataset.action)`)
	if strings.Join(got, ",") != "accept,return" {
		p.t.Errorf("a worker's dispatched task offers %v, want [accept return]", got)
	}
	for _, s := range []struct{ action, to string }{{"accept", "handling"}, {"handle", "handled"}} {
		btn := fmt.Sprintf(`#incident-actions button[data-action=%q]`, s.action)
		p.wait("button "+s.action, fmt.Sprintf(`document.querySelector(%q) !== null`, btn))
		if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(btn))); err != nil {
			p.t.Fatalf("click %s: %v", s.action, err)
		}
		p.wait("status "+s.to, fmt.Sprintf(`(d => d.dataset.status === %q && d.dataset.state === 'done')(document.getElementById('incident-detail'))`, s.to))
	}
	if n := eval[int](p, `document.querySelectorAll('#incident-actions button').length`); n != 0 {
		p.t.Errorf("a worker is offered %d actions on a handled task", n)
	}
	p.settle("worker")
	p.shot("wall-worker")
	if inc := api.incident(p.t, id); inc.Incident.Status != "handled" {
		p.t.Errorf("API: task #%d is %s, want handled", id, inc.Incident.Status)
	}
	for _, e := range p.rec.errors {
		p.t.Errorf("page error: %s", e)
	}
}

// testLoop follows incident id from reported to closed with the detail's
// buttons and checks the history the API keeps.
func (p *page) testLoop(api apiClient, id int64) {
	p.t.Helper()
	p.openIncident(id)
	steps := []struct{ action, to string }{
		{"assess", "assessed"}, {"dispatch", "dispatched"}, {"accept", "handling"},
		{"handle", "handled"}, {"feedback", "feedback"}, {"close", "closed"},
	}
	for _, s := range steps {
		btn := fmt.Sprintf(`#incident-actions button[data-action=%q]`, s.action)
		p.wait("button "+s.action, fmt.Sprintf(`document.querySelector(%q) !== null`, btn))
		if s.action == "feedback" {
			eval[bool](p, `document.getElementById('action-rating').value = '4', true`)
		}
		if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(btn))); err != nil {
			p.t.Fatalf("click %s: %v", s.action, err)
		}
		p.wait("status "+s.to, fmt.Sprintf(`(d => d.dataset.status === %q && d.dataset.state === 'done')(document.getElementById('incident-detail'))`, s.to))
		if s.action == "dispatch" {
			p.wait("assignee named", fmt.Sprintf(`(a => a.includes(%q) && a.includes(%q))(document.getElementById('incident-assignee').textContent)`,
				wallWorker, wallWorkerName))
		}
	}
	p.settle("closed")
	p.shot("wall-closed")
	if n := eval[int](p, `document.querySelectorAll('#incident-history li').length`); n != len(steps)+1 {
		p.t.Errorf("history shows %d steps, want %d", n, len(steps)+1)
	}
	if n := eval[int](p, `document.querySelectorAll('#incident-actions button').length`); n != 0 {
		p.t.Errorf("a closed incident offers %d actions", n)
	}
	inc := api.incident(p.t, id)
	var actions []string
	for _, h := range inc.History {
		actions = append(actions, h.Action)
	}
	if want := "report,assess,dispatch,accept,handle,feedback,close"; strings.Join(actions, ",") != want ||
		inc.Incident.Status != "closed" || inc.Incident.Rating != 4 {
		p.t.Errorf("API: status %s, rating %d, history %v; want closed, 4, %s",
			inc.Incident.Status, inc.Incident.Rating, actions, want)
	}
}

// testIncidentTiles switches the incident tile layer on and expects its
// tiles drawn without an error, and gone when it is switched off.
func (p *page) testIncidentTiles() {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.ID("incident-tiles"))); err != nil {
		p.t.Fatalf("switch incident tiles on: %v", err)
	}
	p.wait("incident tiles", `window.gridmapIncidentTiles === true && window.gridmapIncidentTilesLoaded > 0`)
	p.settle("incident tiles")
	p.shot("wall-incident-tiles")
	if n := eval[int](p, `window.gridmapIncidentTileErrors`); n != 0 {
		p.t.Errorf("%d incident tiles failed", n)
	}
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.ID("incident-tiles"))); err != nil {
		p.t.Fatalf("switch incident tiles off: %v", err)
	}
	if eval[bool](p, `window.gridmapIncidentTiles`) {
		p.t.Error("the incident tile layer stays after it was switched off")
	}
}

// openIncident clicks incident id in the latest list and waits for its detail.
func (p *page) openIncident(id int64) {
	p.t.Helper()
	item := fmt.Sprintf(`#latest-list li[data-id="%d"]`, id)
	p.wait("incident listed", fmt.Sprintf(`document.querySelector(%q) !== null`, item))
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(item))); err != nil {
		p.t.Fatalf("click incident %d: %v", id, err)
	}
	p.wait("incident detail", fmt.Sprintf(
		`(d => d.dataset.id === '%d' && d.dataset.state === 'done')(document.getElementById('incident-detail'))`, id))
}

// clickNear clicks the map 30 px right of (lat, lon), beside the markers
// of the incidents posted there.
func (p *page) clickNear(lat, lon float64) {
	p.t.Helper()
	p.settle("before click")
	type pt struct{ X, Y float64 }
	at := eval[pt](p, fmt.Sprintf(`(q => ({X: q.x + 30, Y: q.y}))(window.gridmap.latLngToContainerPoint([%f, %f]))`, lat, lon))
	if err := chromedp.Do(p.ctx, chromedp.MouseClickXY(at.X, at.Y)); err != nil {
		p.t.Fatalf("click map: %v", err)
	}
}

// checkScale expects the root font size near px and both panels readable:
// their width grows with the root size.
func (p *page) checkScale(px float64) {
	p.t.Helper()
	type sizes struct{ Root, Left, Right float64 }
	got := eval[sizes](p, `({Root: parseFloat(getComputedStyle(document.documentElement).fontSize),
		Left: document.getElementById('incidents').getBoundingClientRect().width,
		Right: document.getElementById('panel').getBoundingClientRect().width})`)
	if got.Root < px*0.9 || got.Root > px*1.1 {
		p.t.Errorf("root font %.1f px at %s, want about %.0f", got.Root, p.res, px)
	}
	if got.Left < 20*got.Root || got.Right < 20*got.Root {
		p.t.Errorf("panels %.0f and %.0f px wide at root %.1f px", got.Left, got.Right, got.Root)
	}
}
