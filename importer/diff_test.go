package importer

import (
	"context"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

func TestCompare(t *testing.T) {
	a := jiangyin(t)
	// b: grids without its first grid, with a new grid, and with the
	// second grid shifted 10 m east and renamed.
	ga := a.Layer("grids").Grids
	var gs []*geo.Grid
	removed, moved := ga[0], ga[1]
	for _, g := range ga[1:] {
		gs = append(gs, g)
	}
	shift := 10 / (authalicR * 3.14159265 / 180 * 0.85) // about 10 m in longitude at 31.8°N
	mp := orb.MultiPolygon{}
	for _, p := range moved.Geom {
		np := orb.Polygon{}
		for _, r := range p {
			nr := orb.Ring{}
			for _, v := range r {
				nr = append(nr, orb.Point{v[0] + shift, v[1]})
			}
			np = append(np, nr)
		}
		mp = append(mp, np)
	}
	gs[0] = &geo.Grid{Code: moved.Code, Name: moved.Name + "（新）", Parent: moved.Parent, Props: moved.Props, Geom: mp}
	gs = append(gs, &geo.Grid{Code: "NEW1", Parent: removed.Parent, Geom: removed.Geom})
	var layers []*geo.Layer
	for _, l := range a.Layers {
		if l.Name == "grids" {
			layers = append(layers, geo.NewLayer("grids", gs))
		} else {
			layers = append(layers, l)
		}
	}
	b, err := geo.NewDataset(layers)
	if err != nil {
		t.Fatal(err)
	}
	d := Compare(a, b)
	var gd LayerDiff
	for _, l := range d.Layers {
		if l.Layer == "grids" {
			gd = l
		} else if len(l.Added)+len(l.Removed)+len(l.Changed) > 0 {
			t.Errorf("layer %s differs", l.Layer)
		}
	}
	if len(gd.Added) != 1 || gd.Added[0].Code != "NEW1" || len(gd.Removed) != 1 || gd.Removed[0].Code != removed.Code || len(gd.Changed) != 1 {
		t.Fatalf("diff %+v", gd)
	}
	c := gd.Changed[0]
	if c.Code != moved.Code || strings.Join(c.What, ",") != "geometry,name" {
		t.Errorf("changed %+v", c)
	}
	if gd.Added[0].AreaAfter != gd.Removed[0].AreaBefore || gd.Removed[0].AreaBefore <= 0 {
		t.Errorf("added/removed areas %g, %g", gd.Added[0].AreaAfter, gd.Removed[0].AreaBefore)
	}
	// Shifting by 10 m changes about 10 m × the grid's north–south extent
	// on each side.
	bb := moved.Bound()
	ns := (bb.Max[1] - bb.Min[1]) * authalicR * 3.14159265 / 180
	if c.ChangedM2 < 10*ns*0.5 || c.ChangedM2 > 2*10*ns*1.5 {
		t.Errorf("changed area %.0f m², want about %.0f m²", c.ChangedM2, 2*10*ns)
	}
	if gd.Unchanged != len(ga)-2 {
		t.Errorf("unchanged %d, want %d", gd.Unchanged, len(ga)-2)
	}
	txt := d.Text(20)
	for _, want := range []string{"layer grids: 1 added, 1 removed, 1 changed", "+ NEW1", "- " + removed.Code, "~ " + moved.Code, "summary: 1 added, 1 removed, 1 changed"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	if !Compare(a, a).Empty() || Compare(a, a).Text(0) != "no differences\n" {
		t.Error("a dataset differs from itself")
	}
}

// TestCompareProjectedRoundTrip: bad/12 declared EPSG:4528 and merged
// changes nothing at all.
func TestCompareProjectedRoundTrip(t *testing.T) {
	src := Source{Layer: "grids", Path: badFile(t, "12_projected_4528.geojson")}
	base := jiangyin(t)
	ds, rep, err := Import(context.Background(), []Source{src}, base, Options{Merge: true, CRS: "EPSG:4528"})
	if err != nil {
		t.Fatalf("%v\n%s", err, rep.Text())
	}
	if d := Compare(base, ds); !d.Empty() {
		t.Errorf("differs:\n%s", d.Text(0))
	}
}
