package households_test

import (
	"encoding/json"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/households"
	"github.com/gridmap/gridmap/internal/gridtest"
)

// grid returns a grid of code under parent with props (no geometry: the
// table reads none).
func grid(code, parent string, props map[string]any) *geo.Grid {
	return &geo.Grid{Code: code, Parent: parent, Props: props}
}

func hh(n any) map[string]any { return map[string]any{"households": n} }

// TestTable: own figures, roll-ups from children, the households of the
// children beside (buildings of a partial layer need not add up to their
// grid's own), unknown figures and bad properties.
func TestTable(t *testing.T) {
	county := geo.NewLayer("county", []*geo.Grid{grid("C", "", nil)})
	grids := geo.NewLayer("grids", []*geo.Grid{
		grid("G1", "C", hh(100.0)),                   // own, buildings say 130
		grid("G2", "C", nil),                         // rolled up from its buildings
		grid("G3", "C", hh(json.Number("40"))),       // own, no buildings
		grid("G4", "C", hh("many")),                  // bad: rolled up from nothing, unknown
		grid("G5", "C", hh(2.5)),                     // bad: not whole
		grid("G6", "C", map[string]any{"name": "x"}), // none, buildings without figures
	})
	buildings := geo.NewLayer("buildings", []*geo.Grid{
		grid("B1", "G1", hh(60.0)), grid("B2", "G1", hh(70.0)),
		grid("B3", "G2", hh(12.0)), grid("B4", "G2", nil),
		grid("B5", "G6", nil),
	})
	buildings.Partial = true
	d, err := geo.NewDataset([]*geo.Layer{buildings, grids, county})
	if err != nil {
		t.Fatal(err)
	}
	tab := households.New(d)
	for _, tc := range []struct {
		layer, code string
		want        households.Count
		in          *households.InChildren
	}{
		{"grids", "G1", households.Count{Households: 100, Known: true, Own: true}, &households.InChildren{Layer: "buildings", Households: 130, Grids: 2, Known: 2}},
		{"grids", "G2", households.Count{Households: 12, Known: true}, &households.InChildren{Layer: "buildings", Households: 12, Grids: 2, Known: 1}},
		{"grids", "G3", households.Count{Households: 40, Known: true, Own: true}, nil},
		{"grids", "G4", households.Count{}, nil},
		{"grids", "G5", households.Count{}, nil},
		{"grids", "G6", households.Count{}, &households.InChildren{Layer: "buildings", Grids: 1}},
		{"buildings", "B1", households.Count{Households: 60, Known: true, Own: true}, nil},
		{"buildings", "B4", households.Count{}, nil},
		// the county has no figure: the sum of its grids' (G1 100, G2 12, G3 40)
		{"county", "C", households.Count{Households: 152, Known: true}, &households.InChildren{Layer: "grids", Households: 152, Grids: 6, Known: 3}},
	} {
		t.Run(tc.code, func(t *testing.T) {
			got, ok := tab.Of(tc.layer, tc.code)
			if !ok {
				t.Fatal("not found")
			}
			in := got.In
			got.In = nil
			if got != tc.want || (in == nil) != (tc.in == nil) || in != nil && *in != *tc.in {
				t.Errorf("got %+v in %+v, want %+v in %+v", got, in, tc.want, tc.in)
			}
		})
	}
	for _, miss := range [][2]string{{"grids", "B1"}, {"towns", "C"}, {"buildings", "nowhere"}} {
		if _, ok := tab.Of(miss[0], miss[1]); ok {
			t.Errorf("Of(%q, %q) found", miss[0], miss[1])
		}
	}
	if layer, c, ok := tab.Find("B3"); !ok || layer != "buildings" || c.Households != 12 {
		t.Errorf("Find(B3) = %q, %+v, %v", layer, c, ok)
	}
	if _, _, ok := tab.Find("nowhere"); ok {
		t.Error("Find(nowhere) found")
	}
	if _, ok := (*households.Table)(nil).Of("grids", "G1"); ok {
		t.Error("a nil table found a grid")
	}
}

// TestJinjiang: over Jinjiang every grid has its own figure, and the
// figures roll up from the buildings into InChildren and from the grids
// into their communities without loss: the buildings' figures summed
// through their grids equal the sum over the building layer, and every
// community's own figure equals its grids' sum (the data agree there).
func TestJinjiang(t *testing.T) {
	d := gridtest.LoadSet(t, "jinjiang", "county", "towns", "villages", "grids", "buildings")
	tab := households.New(d)
	inBuildings, buildings, withBuildings := 0, 0, 0
	for _, g := range d.Layer("grids").Grids {
		c, _ := tab.Of("grids", g.Code)
		if !c.Known || !c.Own {
			t.Fatalf("grid %s: %+v, want its own figure", g.Code, c)
		}
		if c.In != nil {
			inBuildings += c.In.Households
			withBuildings++
		}
	}
	for _, b := range d.Layer("buildings").Grids {
		c, _ := tab.Of("buildings", b.Code)
		buildings += c.Households
	}
	t.Logf("%d of %d grids have buildings; %d households in buildings", withBuildings, len(d.Layer("grids").Grids), inBuildings)
	if inBuildings != buildings || withBuildings != 529 {
		t.Errorf("buildings summed by grid %d, over the layer %d; %d grids with buildings, want 529", inBuildings, buildings, withBuildings)
	}
	for _, v := range d.Layer("villages").Grids {
		c, _ := tab.Of("villages", v.Code)
		if c.In == nil || c.In.Households != c.Households {
			t.Errorf("community %s: own %d, its grids %+v", v.Code, c.Households, c.In)
		}
	}
}
