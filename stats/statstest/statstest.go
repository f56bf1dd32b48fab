// Package statstest makes seeded synthetic incidents over the real chains
// of a data set, for the tests and benchmarks of package stats and for its
// PostGIS peer (bench/pgpeer stats): each incident lies inside a finest
// grid and carries that grid's chain, built from the layers' parent codes.
// It is a helper of measurements, not the product's generator (gridmap
// synth incidents).
package statstest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/incident"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// JiangyinLayers are the layers of the Jiangyin set, coarsest first.
var JiangyinLayers = []string{"county", "towns", "villages", "grids", "microgrids"}

// Cell is one grid of the finest layer: its chain, finest first, and its
// shape (WGS84 lon, lat).
type Cell struct {
	Chain []incident.Link
	Geom  orb.MultiPolygon
}

// LoadCells reads the layers (files LAYER.geojson in dir, coarsest first;
// properties code, name, level, parent) and returns one Cell per grid of
// the last, its chain found by following the parent codes.
func LoadCells(dir string, layers []string) ([]Cell, error) {
	up := map[string]incident.Link{} // code → link, every layer but the last
	parent := map[string]string{}
	var cells []Cell
	for i, name := range layers {
		path := filepath.Join(dir, name+".geojson")
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("statstest: %w", err)
		}
		fc, err := geojson.UnmarshalFeatureCollection(b)
		if err != nil {
			return nil, fmt.Errorf("statstest: %s: %w", path, err)
		}
		for _, f := range fc.Features {
			k := incident.Link{Layer: name, Code: f.Properties.MustString("code", ""),
				Name: f.Properties.MustString("name", ""), Level: f.Properties.MustString("level", "")}
			parent[k.Code] = f.Properties.MustString("parent", "")
			if i < len(layers)-1 {
				up[k.Code] = k
				continue
			}
			c := Cell{Chain: []incident.Link{k}}
			for p := parent[k.Code]; p != ""; p = parent[p] {
				l, found := up[p]
				if !found {
					break
				}
				c.Chain = append(c.Chain, l)
			}
			var ok bool
			if c.Geom, ok = asMulti(f.Geometry); !ok {
				return nil, fmt.Errorf("statstest: %s: %s: geometry %T", path, k.Code, f.Geometry)
			}
			cells = append(cells, c)
		}
	}
	return cells, nil
}

// asMulti returns g as a multipolygon, or false when it is neither a
// polygon nor a multipolygon.
func asMulti(g orb.Geometry) (orb.MultiPolygon, bool) {
	if p, ok := g.(orb.Polygon); ok {
		return orb.MultiPolygon{p}, true
	}
	mp, ok := g.(orb.MultiPolygon)
	return mp, ok
}

// Categories and Sources are those of the synthetic incidents, with their
// weights (shares of the total).
var (
	Categories = Weighted{{"市容环境", 30}, {"安全隐患", 12}, {"矛盾纠纷", 10}, {"公共设施", 15}, {"环境保护", 10}, {"治安", 6}, {"民生服务", 12}, {"其他", 5}}
	Sources    = Weighted{{"12345", 40}, {"grid_worker", 30}, {"110", 10}, {"wechat", 10}, {"sensor", 5}, {"patrol", 5}}
)

// Weighted are names with weights: each is picked with the share of its
// weight in the total.
type Weighted []struct {
	Name   string
	Weight int
}

func (w Weighted) pick(r *rand.Rand) string {
	total := 0
	for _, v := range w {
		total += v.Weight
	}
	n := r.IntN(total)
	for _, v := range w {
		if n -= v.Weight; n < 0 {
			return v.Name
		}
	}
	return w[len(w)-1].Name
}

// Generate returns n incidents with IDs 1..n, the same for the same seed:
// each in a random cell (at a random point inside it), reported at a
// random second of the year after start, 98.9 % closed and 0.3 %
// rejected, the rest open in the other statuses; handled after a
// log-normal time (median about 20 h), overdue past 72 h, 80 % of the
// closed ones rated 1–5.
func Generate(cells []Cell, n int, seed uint64, start time.Time) []incident.Incident {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	open := []incident.Status{incident.Reported, incident.Assessed, incident.Dispatched, incident.Handling, incident.Handled, incident.Feedback, incident.Returned}
	year := int64(365 * 24 * 3600)
	out := make([]incident.Incident, n)
	for i := range out {
		c := &cells[r.IntN(len(cells))]
		lon, lat := pointIn(r, c.Geom)
		inc := incident.Incident{
			ID: incident.ID(i + 1), Lon: lon, Lat: lat, CRS: "wgs84",
			Category: Categories.pick(r), Source: Sources.pick(r),
			ReportedAt: start.Add(time.Duration(r.Int64N(year)) * time.Second),
			Chain:      c.Chain, Status: incident.Closed,
		}
		switch u := r.Float64(); {
		case u < 0.003:
			inc.Status = incident.Rejected
		case u < 0.011:
			inc.Status = open[r.IntN(len(open))]
		}
		handling := time.Duration(math.Exp(r.NormFloat64()+math.Log(20*3600))) * time.Second
		handled := inc.Status == incident.Closed || inc.Status == incident.Handled || inc.Status == incident.Feedback
		if handled {
			inc.HandledAt = inc.ReportedAt.Add(handling)
		}
		inc.Overdue = handling > 72*time.Hour
		if inc.Status == incident.Closed && r.IntN(5) > 0 {
			inc.Rating = 1 + r.IntN(5)
		}
		out[i] = inc
	}
	return out
}

// pointIn returns a random point inside mp (rejection sampling in its
// bound), or the bound's centre after 1,000 misses.
func pointIn(r *rand.Rand, mp orb.MultiPolygon) (lon, lat float64) {
	b := mp.Bound()
	for range 1000 {
		p := orb.Point{b.Min[0] + r.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + r.Float64()*(b.Max[1]-b.Min[1])}
		if geo.Contains(mp, p) {
			return p[0], p[1]
		}
	}
	c := b.Center()
	return c[0], c[1]
}
