package synth_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/synth"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
)

// origin is where the hand-made grids of the compound tests lie (Jinjiang).
var origin = orb.Point{104.08, 30.65}

// rect returns the grid with code, parent and a w×h metre rectangle whose
// south-west corner is x, y metres east and north of origin.
func rect(code, parent string, x, y, w, h float64) *geo.Grid {
	kx, ky := geo.MetresPerDegree(origin[1])
	b := orb.Bound{
		Min: orb.Point{origin[0] + x/kx, origin[1] + y/ky},
		Max: orb.Point{origin[0] + (x+w)/kx, origin[1] + (y+h)/ky},
	}
	return &geo.Grid{Code: code, Name: code, Parent: parent, Geom: orb.MultiPolygon{b.ToPolygon()},
		Props: map[string]any{"households": 10.0}}
}

func TestCompounds(t *testing.T) {
	grid := rect("g1", "v", 0, 0, 200, 200)
	other := rect("g2", "v", 200, 0, 200, 200)
	for _, tc := range []struct {
		name      string
		buildings []*geo.Grid
		o         synth.CompoundOptions
		// want is the compound (by position among those made) of each
		// building
		want []int
	}{
		{"one cluster", []*geo.Grid{rect("b1", "g1", 50, 50, 23, 23), rect("b2", "g1", 85, 50, 23, 23), rect("b3", "g1", 50, 85, 23, 23)}, synth.CompoundOptions{}, []int{0, 0, 0}},
		{"two clusters", []*geo.Grid{rect("b1", "g1", 20, 20, 23, 23), rect("b2", "g1", 140, 140, 23, 23), rect("b3", "g1", 55, 20, 23, 23)}, synth.CompoundOptions{}, []int{0, 1, 0}},
		{"capped", []*geo.Grid{rect("b1", "g1", 50, 50, 23, 23), rect("b2", "g1", 85, 50, 23, 23), rect("b3", "g1", 120, 50, 23, 23)}, synth.CompoundOptions{MaxBuildings: 2}, []int{0, 0, 1}},
		{"against the border", []*geo.Grid{rect("b1", "g1", 0, 50, 23, 23), rect("b2", "g1", 100, 100, 23, 23)}, synth.CompoundOptions{}, []int{0, 1}},
		{"per grid", []*geo.Grid{rect("b1", "g1", 170, 50, 23, 23), rect("b2", "g2", 210, 50, 23, 23)}, synth.CompoundOptions{}, []int{0, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			grids := []*geo.Grid{grid, other}
			cs, bs, err := synth.Compounds(grids, tc.buildings, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			for i, b := range bs {
				if want := cs[tc.want[i]].Code; b.Parent != want || b.Props["parent"] != want {
					t.Errorf("building %s: parent %s, want %s", b.Code, b.Parent, want)
				}
				if tc.buildings[i].Parent[0] != 'g' {
					t.Errorf("input building %s changed", b.Code)
				}
			}
			checkCompounds(t, grids, cs, bs)
		})
	}
	if _, _, err := synth.Compounds([]*geo.Grid{grid}, []*geo.Grid{rect("b1", "nowhere", 5, 5, 5, 5)}, synth.CompoundOptions{}); !errors.Is(err, synth.ErrCompounds) {
		t.Fatalf("unknown parent: %v", err)
	}
}

// TestCompoundsJinjiang groups Jinjiang's 15,414 buildings into compounds
// and checks the layer whole.
func TestCompoundsJinjiang(t *testing.T) {
	dir := gridtest.NeedShared(t, "jinjiang")
	grids := gridtest.LoadLayer(t, "grids", filepath.Join(dir, "grids.geojson"))
	buildings := gridtest.LoadLayer(t, "buildings", filepath.Join(dir, "buildings.geojson"))
	cs, bs, err := synth.Compounds(grids.Grids, buildings.Grids, synth.CompoundOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkCompounds(t, grids.Grids, cs, bs)
	own, sizes := 0, map[int]int{}
	n := map[string]int{}
	for _, b := range bs {
		n[b.Parent]++
	}
	for _, c := range cs {
		sizes[n[c.Code]]++
		if len(c.Geom[0][0]) != 5 || c.Geom.Bound().ToPolygon().Equal(c.Geom[0]) == false {
			own++
		}
	}
	t.Logf("%d buildings in %d compounds (%d the footprint of their one building); compounds by size %v", len(bs), len(cs), own, sizes)
	if len(cs) >= len(bs)/2 || own > len(cs)/10 {
		t.Fatalf("compounds too small: %d for %d buildings, %d footprints", len(cs), len(bs), own)
	}
}

// checkCompounds checks the compound layer cs over grids and the rebuilt
// buildings bs: every compound lies inside its grid, no two compounds
// overlap, every building lies inside its compound and overlaps no other.
func checkCompounds(t *testing.T, grids, cs, bs []*geo.Grid) {
	t.Helper()
	byCode := map[string]*geo.Grid{}
	for _, g := range append(append([]*geo.Grid{}, grids...), cs...) {
		byCode[g.Code] = g
	}
	var tr rtree.RTreeG[*geo.Grid]
	for _, c := range cs {
		b := c.Bound()
		tr.Insert(b.Min, b.Max, c)
	}
	for _, c := range cs {
		g := byCode[c.Parent]
		if g == nil {
			t.Fatalf("compound %s: parent %s is no grid", c.Code, c.Parent)
		}
		if !coveredBy(c.Geom, g.Geom) {
			t.Fatalf("compound %s is not inside grid %s", c.Code, g.Code)
		}
		overlapsNone(t, &tr, c, c)
	}
	for _, b := range bs {
		c := byCode[b.Parent]
		if c == nil || c.Level != synth.CompoundLevel {
			t.Fatalf("building %s: parent %s is no compound", b.Code, b.Parent)
		}
		if !coveredBy(b.Geom, c.Geom) {
			t.Fatalf("building %s is not inside compound %s", b.Code, c.Code)
		}
		overlapsNone(t, &tr, b, c)
	}
}

// overlapsNone fails t when g overlaps a compound of tr other than own.
func overlapsNone(t *testing.T, tr *rtree.RTreeG[*geo.Grid], g, own *geo.Grid) {
	t.Helper()
	b := g.Bound()
	tr.Search(b.Min, b.Max, func(_, _ [2]float64, o *geo.Grid) bool {
		if o != own && overlapArea(o.Geom, g.Geom) > 0 {
			t.Fatalf("%s (in %s) overlaps compound %s", g.Code, own.Code, o.Code)
		}
		return true
	})
}

// coveredBy reports whether a lies within b (bound clipped: b's area within
// a's bounding box is at least a's area).
func coveredBy(a, b orb.MultiPolygon) bool {
	return overlapArea(a, b) >= planar.Area(a)*(1-1e-9)
}

// overlapArea is the area, in square degrees, that the rectangle a (a
// compound or a footprint taken by its bounds when not a rectangle) shares
// with b: b clipped to a's bounds.
func overlapArea(a, b orb.MultiPolygon) float64 {
	ab := a.Bound()
	if !ab.Intersects(b.Bound()) {
		return 0
	}
	if !a.Bound().ToPolygon().Equal(a[0]) || len(a) > 1 {
		// a footprint: clip a by b's bounds instead when b is a rectangle
		if len(b) == 1 && b.Bound().ToPolygon().Equal(b[0]) {
			return planar.Area(clip.MultiPolygon(b.Bound(), a.Clone()))
		}
	}
	return planar.Area(clip.MultiPolygon(ab, b.Clone()))
}
