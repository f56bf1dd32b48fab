package e2e

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"
)

// jinjiangCentre is the middle of the densest building tile of Jinjiang
// (16/51718/26902, by 春熙路; tiles.TestJinjiangBuildingsEveryZoom), (lon,
// lat) WGS84.
var jinjiangCentre = maptile.New(51718, 26902, 16).Center()

// TestBuildings drives the page over Jinjiang with its 15,414 buildings
// (楼栋) imported as a partial layer, at 1920×1080 and 3840×2160: the
// layer list and the level switch name the building level, buildings are
// drawn around 春熙路 from z16 and not at z15, a click in a street between
// buildings selects the grid around it (not nothing), and a click on a
// building shows it with its households and its chain. Screenshots
// page-RES-buildings.png go to the artifacts.
func TestBuildings(t *testing.T) {
	chromium := chromiumPath(t)
	dir := filepath.Dir(gridtest.NeedShared(t, "jinjiang", "buildings.geojson"))
	if os.Getenv("GRIDMAP_E2E_URL") != "" {
		t.Skip("GRIDMAP_E2E_URL: the test imports Jinjiang into a data directory of its own")
	}
	srv := startServerOn(t, func(bin, data string) { importJinjiang(t, bin, data, dir) })
	var tj struct {
		VectorLayers []struct {
			ID      string `json:"id"`
			MinZoom int    `json:"minzoom"`
			Partial bool   `json:"gridmap:partial"`
		} `json:"vector_layers"`
	}
	getJSON(t, srv.Base+"/tiles.json", &tj)
	first := -1
	for _, l := range tj.VectorLayers {
		if l.ID == "buildings" && l.Partial {
			first = l.MinZoom
		}
	}
	if first != 16 {
		t.Fatalf("tiles.json: buildings partial from z%d, want from z16: %+v", first, tj.VectorLayers)
	}
	building := nearestBuilding(t, filepath.Join(dir, "buildings.geojson"), jinjiangCentre)
	street := nearestGap(t, filepath.Join(dir, "points.csv"), jinjiangCentre)
	artifacts := artifactsDir(t)
	for _, res := range resolutions {
		t.Run(res.String(), func(t *testing.T) {
			p := openPage(t, chromium, srv.Base, res, artifacts)
			p.navigate(fmt.Sprintf("%s/#17/%.6f/%.6f", srv.Base, jinjiangCentre[1], jinjiangCentre[0]))
			p.settle("Jinjiang centre")
			p.testBuildingLevel()
			p.testBuildingsDrawn(first)
			p.testClickStreet(street)
			p.testClickBuilding(building)
			p.settle("building selected")
			p.shot("buildings")
			p.rec.check(t, srv.Base)
		})
	}
}

// importJinjiang imports the Jinjiang files of dir into data with the
// binary bin, buildings declared partial.
func importJinjiang(t *testing.T, bin, data, dir string) {
	t.Helper()
	args := []string{"import", "--data", data, "--partial", "buildings"}
	for _, l := range []string{"county", "towns", "villages", "grids", "buildings"} {
		args = append(args, l+"="+filepath.Join(dir, l+".geojson"))
	}
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("gridmap import Jinjiang: %v\n%s", err, out)
	}
}

// nearestBuilding returns the centroid (lon, lat) of the building of the
// file whose centroid is nearest to p.
func nearestBuilding(t *testing.T, path string, p orb.Point) orb.Point {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	best, dist := orb.Point{}, math.Inf(1)
	for _, f := range fc.Features {
		c, _ := planar.CentroidArea(f.Geometry)
		if d := planar.Distance(c, p); d < dist && planar.MultiPolygonContains(asMulti(f.Geometry), c) {
			best, dist = c, d
		}
	}
	if math.IsInf(dist, 1) {
		t.Fatalf("%s: no building", path)
	}
	return best
}

func asMulti(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// nearestGap returns the point of kind gap (between buildings, in a grid)
// of the points file nearest to p, (lon, lat).
func nearestGap(t *testing.T, path string, p orb.Point) orb.Point {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	best, dist := orb.Point{}, math.Inf(1)
	for i, r := range rows[1:] {
		if len(r) < 4 || r[3] != "gap" {
			continue
		}
		lon, err1 := strconv.ParseFloat(r[1], 64)
		lat, err2 := strconv.ParseFloat(r[2], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s line %d: lon %q, lat %q", path, i+2, r[1], r[2])
		}
		if d := planar.Distance(orb.Point{lon, lat}, p); d < dist {
			best, dist = orb.Point{lon, lat}, d
		}
	}
	if math.IsInf(dist, 1) {
		t.Fatalf("%s: no gap point", path)
	}
	return best
}

// testBuildingLevel expects the building level in the layer list (楼栋,
// in range at the current zoom) and in the level switch.
func (p *page) testBuildingLevel() {
	p.t.Helper()
	type level struct{ Name, Class, Option string }
	got := eval[level](p, `(() => {
		const li = document.querySelector('#layer-list li[data-layer="buildings"]');
		const o = document.querySelector('#metric-level option[value="buildings"]');
		return {Name: li ? li.querySelector('.name').textContent : '', Class: li ? li.className : 'absent',
			Option: o ? o.textContent : ''};
	})()`)
	if got.Name != "楼栋" || got.Class != "" || got.Option != "楼栋" {
		p.t.Errorf("building level: layer list %q (class %q), level switch %q; want 楼栋, in range, 楼栋", got.Name, got.Class, got.Option)
	}
}

// testBuildingsDrawn expects buildings drawn at z17 and z16 around the
// centre, and none a zoom below the layer's first.
func (p *page) testBuildingsDrawn(first int) {
	p.t.Helper()
	for _, tc := range []struct {
		z    int
		most bool
	}{{17, true}, {first, true}, {first - 1, false}} {
		p.setView(jinjiangCentre, tc.z)
		n := eval[int](p, `window.gridmapDrawnFeatures('buildings')`)
		grids := eval[int](p, `window.gridmapDrawnFeatures('grids')`)
		p.t.Logf("z%d: %d buildings, %d grids drawn", tc.z, n, grids)
		if tc.most && n < 100 || !tc.most && n != 0 || grids == 0 {
			p.t.Errorf("z%d: %d buildings and %d grids drawn", tc.z, n, grids)
		}
	}
	p.setView(jinjiangCentre, 17)
}

// setView moves the map to p (lon, lat) at zoom z without animation and
// waits until its tiles are drawn.
func (p *page) setView(at orb.Point, z int) {
	p.t.Helper()
	eval[bool](p, fmt.Sprintf(`(window.gridmap.setView([%f, %f], %d, {animate: false}), true)`, at[1], at[0], z))
	p.settle(fmt.Sprintf("z%d", z))
}

// clickAt clicks the map at at (lon, lat) and waits for the lookup. It
// returns the position the page looked up and the API's answer there.
func (p *page) clickAt(at orb.Point) (orb.Point, buildingLookup) {
	p.t.Helper()
	p.settle("before click")
	type pt struct{ X, Y float64 }
	xy := eval[pt](p, fmt.Sprintf(`(() => {
		const r = document.getElementById('map').getBoundingClientRect();
		const q = window.gridmap.latLngToContainerPoint([%f, %f]);
		return {X: r.left + q.x, Y: r.top + q.y};
	})()`, at[1], at[0]))
	if err := chromedp.Do(p.ctx, chromedp.MouseClickXY(xy.X, xy.Y)); err != nil {
		p.t.Fatalf("click: %v", err)
	}
	p.wait("lookup after the click", `window.gridmapLookup && window.gridmapLookup.state === 'done'`)
	got := orb.Point{eval[float64](p, `window.gridmapLookup.lon`), eval[float64](p, `window.gridmapLookup.lat`)}
	var want buildingLookup
	q := url.Values{}
	q.Set("lon", strconv.FormatFloat(got[0], 'f', 7, 64))
	q.Set("lat", strconv.FormatFloat(got[1], 'f', 7, 64))
	getJSON(p.t, p.base+"/api/v1/lookup?"+q.Encode(), &want)
	return got, want
}

// buildingLookup is the part of a lookup answer the building test reads.
type buildingLookup struct {
	Chain []struct {
		Layer      string         `json:"layer"`
		Code       string         `json:"code"`
		Properties map[string]any `json:"properties"`
	} `json:"chain"`
}

// panelState is what the panel shows of the selection.
type panelState struct {
	Code, Layer, Households, Highlighted string
	Chain                                []string
}

func (p *page) panel() panelState {
	p.t.Helper()
	p.wait("selection shown", `document.getElementById('selected-code') !== null`)
	p.settle("highlight")
	return eval[panelState](p, `({
		Code: document.getElementById('selected-code').textContent.trim(),
		Layer: document.getElementById('selected-code').dataset.layer,
		Households: document.getElementById('selected-households').textContent.trim(),
		Highlighted: window.gridmapHighlighted || '',
		Chain: Array.from(document.querySelectorAll('#chain li')).map(li => li.dataset.layer)})`)
}

// testClickStreet clicks a street between buildings: the grid around it
// is selected and highlighted.
func (p *page) testClickStreet(at orb.Point) {
	p.t.Helper()
	got, want := p.clickAt(at)
	if len(want.Chain) == 0 || want.Chain[0].Layer != "grids" {
		p.t.Fatalf("the API puts the street point %v in %+v, want a grid", got, want.Chain)
	}
	s := p.panel()
	if s.Code != want.Chain[0].Code || s.Layer != "grids" || s.Highlighted != s.Code || len(s.Chain) != 4 {
		p.t.Errorf("street click at %v: panel %+v, want grid %s highlighted with a chain of 4", got, s, want.Chain[0].Code)
	}
}

// testClickBuilding clicks inside a building: the building is selected
// and highlighted, with its households and its chain up to the district.
func (p *page) testClickBuilding(at orb.Point) {
	p.t.Helper()
	got, want := p.clickAt(at)
	if len(want.Chain) == 0 || want.Chain[0].Layer != "buildings" {
		p.t.Fatalf("the API puts the building point %v in %+v, want a building", got, want.Chain)
	}
	households := fmt.Sprint(want.Chain[0].Properties["households"])
	s := p.panel()
	if s.Code != want.Chain[0].Code || s.Layer != "buildings" || s.Highlighted != s.Code || s.Households != households {
		p.t.Errorf("building click at %v: panel %+v, want building %s highlighted with %s households", got, s, want.Chain[0].Code, households)
	}
	if want := []string{"buildings", "grids", "villages", "towns", "county"}; fmt.Sprint(s.Chain) != fmt.Sprint(want) {
		p.t.Errorf("building chain %v, want %v", s.Chain, want)
	}
}
