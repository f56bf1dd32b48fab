package incidents_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/version"
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
		jiangyin.f = fixture{snap: &version.Snapshot{Data: d, Tiles: ts}, idx: ix}
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

// synth returns n incidents at seeded random points of the Jiangyin data's
// box that some grid holds, each with its located chain (finest first),
// a random status, category, source and overdue flag. ids start at first.
func (f fixture) synth(tb testing.TB, seed uint64, first incident.ID, n int) []incident.Incident {
	tb.Helper()
	r := gridtest.Rand(seed)
	d := f.snap.Data
	b := d.Layers[0].Bound()
	out := make([]incident.Incident, 0, n)
	var hits []index.Hit
	for len(out) < n {
		lon := b.Min[0] + r.Float64()*(b.Max[0]-b.Min[0])
		lat := b.Min[1] + r.Float64()*(b.Max[1]-b.Min[1])
		hits = f.idx.AppendChains(hits[:0], lon, lat)
		if len(hits) == 0 {
			continue
		}
		chain := make([]incident.Link, 0, len(hits))
		for i := len(hits) - 1; i >= 0; i-- {
			g := f.idx.Grid(hits[i])
			chain = append(chain, incident.Link{Layer: f.idx.LayerName(hits[i]), Code: g.Code, Name: g.Name})
		}
		out = append(out, incident.Incident{
			ID:       first + incident.ID(len(out)),
			Status:   incident.Statuses[int(r.Float64()*float64(len(incident.Statuses)))],
			Lon:      lon,
			Lat:      lat,
			Category: testCategories[int(r.Float64()*float64(len(testCategories)))],
			Source:   testSources[int(r.Float64()*float64(len(testSources)))],
			Overdue:  r.Float64() < 0.1,
			Chain:    chain,
			Version:  "1",
			ReportedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).
				Add(time.Duration(r.Float64() * float64(365*24*time.Hour))),
		})
	}
	return out
}

// layerOf returns the layer of d named name.
func layerOf(tb testing.TB, d *geo.Dataset, name string) *geo.Layer {
	tb.Helper()
	for _, l := range d.Layers {
		if l.Name == name {
			return l
		}
	}
	tb.Fatal(fmt.Sprintf("no layer %q", name))
	return nil
}
