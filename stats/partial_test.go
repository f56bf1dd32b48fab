package stats_test

import (
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/stats"
	"github.com/gridmap/gridmap/synth"
)

// jinjiangIncidents generates n incidents over Jinjiang (buildings
// partial: some fall between buildings, their chain starting at the grid)
// with the product's generator, each with the chain of the grid it names
// (its building, else its grid) up through the parent codes.
func jinjiangIncidents(tb testing.TB, n int) (*geo.Dataset, []incident.Incident) {
	tb.Helper()
	d := gridtest.LoadSet(tb, "jinjiang", "county", "towns", "villages", "grids", "buildings")
	d.Layer("buildings").Partial = true
	to := time.Date(2026, 1, 1, 0, 0, 0, 0, synth.China)
	g, err := synth.NewIncidents(d, synth.IncidentOptions{Seed: 18, N: n, To: to})
	if err != nil {
		tb.Fatal(err)
	}
	incs := make([]incident.Incident, 0, n)
	for id := 1; ; id++ {
		s, ok := g.Next()
		if !ok {
			return d, incs
		}
		inc := incident.Incident{ID: incident.ID(id), Status: incident.Status(s.Status), Category: s.Category,
			Source: s.Source, ReportedAt: s.ReportedAt, HandledAt: s.HandledAt, Rating: s.Rating, Chain: chainOf(tb, d, s.Grid)}
		incs = append(incs, inc)
	}
}

// chainOf returns the chain of the grid of that code, finest first.
func chainOf(tb testing.TB, d *geo.Dataset, code string) []incident.Link {
	for li := len(d.Layers) - 1; li >= 0; li-- {
		if d.Layers[li].Grid(code) == nil {
			continue
		}
		var chain []incident.Link
		for l := d.Layers[li]; l != nil; l = d.Layer(l.Parent) {
			g := l.Grid(code)
			if g == nil {
				break
			}
			chain = append(chain, incident.Link{Layer: l.Name, Code: g.Code, Name: g.Name})
			code = g.Parent
		}
		return chain
	}
	tb.Fatalf("grid %s in no layer", code)
	return nil
}

// TestPartialRollup counts Jinjiang incidents, in buildings and between
// them, by brute force (each incident once for every grid of its chain)
// and checks the ledger against it: per layer (buildings included) every
// grid's total, the incidents without a grid of the layer in Between and
// Grids plus Between adding up to all; and for every grid, its children
// plus Between adding up to its own total. None is lost or counted twice.
func TestPartialRollup(t *testing.T) {
	const n = 40000
	d, incs := jinjiangIncidents(t, n)
	l := stats.NewLedger()
	brute := map[string]int{} // layer/code → incidents
	for _, inc := range incs {
		l.Put(inc)
		for _, k := range inc.Chain {
			brute[k.Layer+"/"+k.Code]++
		}
	}
	for _, layer := range d.Layers {
		t.Run(layer.Name, func(t *testing.T) {
			res, err := l.Query(stats.Query{Layer: layer.Name})
			if err != nil {
				t.Fatal(err)
			}
			sum, want := 0, 0
			for _, f := range res.Grids {
				if f.Total != brute[layer.Name+"/"+f.Code] {
					t.Fatalf("%s: %d incidents, brute force %d", f.Code, f.Total, brute[layer.Name+"/"+f.Code])
				}
				sum += f.Total
			}
			for _, g := range layer.Grids {
				want += brute[layer.Name+"/"+g.Code]
			}
			between := 0
			if res.Between != nil {
				between = res.Between.Total
			}
			t.Logf("%d grids with incidents: %d incidents, %d without a grid of the layer", len(res.Grids), sum, between)
			if sum != want || sum+between != n || res.Total.Total != n {
				t.Errorf("grids %d (brute force %d) + between %d != total %d (want %d)", sum, want, between, res.Total.Total, n)
			}
			if layer.Name == "buildings" && (between == 0 || between > n/2) {
				t.Errorf("%d of %d incidents between buildings: want some, not most", between, n)
			}
		})
	}
	gaps := 0
	for _, g := range d.Layer("grids").Grids {
		res, err := l.Query(stats.Query{Grid: g.Code})
		if err != nil {
			t.Fatal(err)
		}
		sum, between := 0, 0
		for _, c := range res.Children {
			sum += c.Total
		}
		if res.Between != nil {
			between = res.Between.Total
		}
		gaps += between
		if want := brute["grids/"+g.Code]; res.Grid.Total != want || sum+between != want {
			t.Fatalf("grid %s: total %d, children %d + between %d; brute force %d", g.Code, res.Grid.Total, sum, between, want)
		}
	}
	if bl, _ := l.Query(stats.Query{Layer: "buildings"}); bl.Between == nil || bl.Between.Total != gaps {
		t.Errorf("the grids' incidents between buildings sum to %d, the buildings layer's to %v", gaps, bl.Between)
	}
	t.Logf("%d of %d incidents between buildings", gaps, n)
}
