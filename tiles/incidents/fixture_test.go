package incidents_test

import (
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/tiles/incidents"
	"github.com/gridmap/gridmap/version"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// jiangyinLayers are the Jiangyin files, coarse → fine.
var jiangyinLayers = []string{"county", "towns", "villages", "grids", "microgrids"}

// fixture is the Jiangyin snapshot the tests draw incidents over.
type fixture struct {
	snap *version.Snapshot
	idx  *index.Index
}

var jiangyin struct {
	once sync.Once
	f    fixture
	err  error
}

// jiangyinFixture returns the Jiangyin data with its boundary tiles and
// point index, built once per test binary.
func jiangyinFixture(tb testing.TB) fixture {
	tb.Helper()
	jiangyin.once.Do(func() {
		d := gridtest.JiangyinSet(tb, jiangyinLayers...)
		ts, err := tiles.NewSource(d, tiles.Options{})
		if err != nil {
			jiangyin.err = err
			return
		}
		ix, err := index.NewIndex(d)
		if err != nil {
			jiangyin.err = err
			return
		}
		jiangyin.f = fixture{snap: &version.Snapshot{Data: d, Tiles: tiles.ReadySource(ts)}, idx: ix}
	})
	if jiangyin.err != nil {
		tb.Fatal(jiangyin.err)
	}
	if jiangyin.f.snap == nil {
		tb.Fatal("the Jiangyin data did not load (see the test that loaded it first)")
	}
	return jiangyin.f
}

// The values the synthetic incidents draw from.
var (
	testCategories = []string{"市容环境", "安全隐患", "矛盾纠纷", "公共设施", "环境保护", "治安", "民生服务", "其他"}
	testSources    = []string{"12345", "110", "grid_worker", "wechat", "sensor", "patrol"}
)

// synth returns n incidents (see each), ids from first.
func (f fixture) synth(tb testing.TB, seed uint64, first incident.ID, n int) []incident.Incident {
	tb.Helper()
	out := make([]incident.Incident, 0, n)
	f.each(seed, first, n, func(inc incident.Incident) { out = append(out, inc) })
	return out
}

// each calls fn with n incidents, ids from first, at seeded random points
// some grid holds: a random micro grid, then a random point of its box, so
// that there are more incidents where grids are dense (small). Each has
// its located chain (finest first; incidents of one finest grid share the
// slice), a random status, category, source and overdue flag.
func (f fixture) each(seed uint64, first incident.ID, n int, fn func(incident.Incident)) {
	r := gridtest.Rand(seed)
	d := f.snap.Data
	finest := d.Layers[len(d.Layers)-1].Grids
	bounds := make([]orb.Bound, len(finest))
	for i, g := range finest {
		bounds[i] = g.Bound()
	}
	chains := map[index.Hit][]incident.Link{}
	var hits []index.Hit
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for made := 0; made < n; {
		b := bounds[int(r.Float64()*float64(len(finest)))]
		lon := b.Min[0] + r.Float64()*(b.Max[0]-b.Min[0])
		lat := b.Min[1] + r.Float64()*(b.Max[1]-b.Min[1])
		hits = f.idx.AppendChains(hits[:0], lon, lat)
		if len(hits) == 0 {
			continue
		}
		chain, ok := chains[hits[0]] // the finest grid
		if !ok {
			for _, h := range hits {
				g := f.idx.Grid(h)
				chain = append(chain, incident.Link{Layer: f.idx.LayerName(h), Code: g.Code, Name: g.Name})
			}
			chains[hits[0]] = chain
		}
		fn(incident.Incident{
			ID:         first + incident.ID(made),
			Status:     incident.Statuses[int(r.Float64()*float64(len(incident.Statuses)))],
			Lon:        lon,
			Lat:        lat,
			Category:   testCategories[int(r.Float64()*float64(len(testCategories)))],
			Source:     testSources[int(r.Float64()*float64(len(testSources)))],
			Overdue:    r.Float64() < 0.1,
			Chain:      chain,
			Version:    "1",
			ReportedAt: t0.Add(time.Duration(r.Float64() * float64(365*24*time.Hour))),
		})
		made++
	}
}

// layerOf returns the layer of d named name.
func layerOf(tb testing.TB, d *geo.Dataset, name string) *geo.Layer {
	tb.Helper()
	for _, l := range d.Layers {
		if l.Name == name {
			return l
		}
	}
	tb.Fatalf("no layer %q", name)
	return nil
}

// TestFixture checks the synthetic incidents themselves: a chain of every
// layer, finest first, whose grids hold the point, and many finest grids.
func TestFixture(t *testing.T) {
	f := jiangyinFixture(t)
	incs := f.synth(t, 2, 1, 500)
	finest := map[string]bool{}
	for _, inc := range incs {
		if len(inc.Chain) != len(jiangyinLayers) {
			t.Fatalf("incident %d: chain %v", inc.ID, inc.Chain)
		}
		for i, l := range inc.Chain {
			if want := jiangyinLayers[len(jiangyinLayers)-1-i]; l.Layer != want {
				t.Fatalf("incident %d: link %d of layer %s, want %s", inc.ID, i, l.Layer, want)
			}
			g := gridOf(t, f.snap.Data, l.Layer, l.Code)
			if !planar.MultiPolygonContains(g.Geom, orb.Point{inc.Lon, inc.Lat}) {
				t.Fatalf("incident %d at %v, %v: not in its %s %s", inc.ID, inc.Lon, inc.Lat, l.Layer, l.Code)
			}
		}
		finest[inc.Chain[0].Code] = true
	}
	if len(finest) < 200 {
		t.Errorf("500 incidents in only %d micro grids", len(finest))
	}
}

// gridOf returns the grid code of the named layer of d.
func gridOf(tb testing.TB, d *geo.Dataset, layer, code string) *geo.Grid {
	tb.Helper()
	for _, g := range layerOf(tb, d, layer).Grids {
		if g.Code == code {
			return g
		}
	}
	tb.Fatalf("no grid %s in layer %s", code, layer)
	return nil
}

// filled puts incs into src and returns it.
func filled(src *incidents.Source, incs []incident.Incident) *incidents.Source {
	for _, inc := range incs {
		src.Put(inc)
	}
	return src
}
