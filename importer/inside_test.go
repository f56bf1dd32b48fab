package importer

import (
	"fmt"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/internal/sfconv"
	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// uShape is a parent with a notch: x 0…3, y 0…2, the square x 1…2, y 1…2
// cut out of its top.
var uShape = orb.MultiPolygon{{{{0, 0}, {3, 0}, {3, 2}, {2, 2}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 0}}}}

func ring(pts ...float64) orb.Polygon {
	var r orb.Ring
	for i := 0; i+1 < len(pts); i += 2 {
		r = append(r, orb.Point{pts[i], pts[i+1]})
	}
	return orb.Polygon{append(r, r[0])}
}

// TestEnclosureContains: the exact inside test on the cases that fool a
// vertex test: edges across the notch, through its corners, along the
// parent's edges.
func TestEnclosureContains(t *testing.T) {
	holed := orb.MultiPolygon{{uShape[0][0], {{0.2, 0.2}, {0.2, 0.4}, {0.4, 0.4}, {0.4, 0.2}, {0.2, 0.2}}}}
	two := orb.MultiPolygon{ring(0, 0, 1, 0, 1, 1, 0, 1), ring(1, 0, 2, 0, 2, 1, 1, 1)}
	tests := []struct {
		name   string
		parent orb.MultiPolygon
		child  orb.Polygon
		want   bool
	}{
		{"well inside", uShape, ring(0.2, 0.2, 0.8, 0.2, 0.8, 0.8, 0.2, 0.8), true},
		{"the parent itself", uShape, uShape[0], true},
		{"on the outer edge", uShape, ring(0, 0.2, 0.5, 0.2, 0.5, 0.4, 0, 0.4), true},
		{"along an edge past a vertex", uShape, ring(0, 0, 3, 0, 3, 0.5, 0, 0.5), true},
		{"through a reflex corner, inside", uShape, ring(0.5, 1.5, 1, 1, 1.5, 0.5, 0.2, 0.2), true},
		{"a vertex outside", uShape, ring(0.5, 0.5, 1.5, 0.5, 1.5, 1.5, 0.5, 1.5), false},
		{"the notch, every vertex on the border", uShape, ring(1, 1, 2, 1, 2, 2, 1, 2), false},
		{"a chord across the notch", uShape, ring(2, 1, 1, 2, 1, 1), false},
		{"an edge across the notch, vertices inside", uShape, ring(0.5, 0.5, 2.5, 0.5, 2.5, 1.5, 0.5, 1.5), false},
		{"an edge through a corner into the notch", uShape, ring(0.5, 0.5, 2.5, 0.5, 2, 2), false},
		{"past the outer edge", uShape, ring(2.5, 0.5, 3.5, 0.5, 3.5, 1, 2.5, 1), false},
		{"near a hole: the overlay decides", holed, ring(0.1, 0.1, 0.5, 0.1, 0.5, 0.5, 0.1, 0.5), false},
		{"far from the hole", holed, ring(2.2, 0.2, 2.8, 0.2, 2.8, 0.8, 2.2, 0.8), true},
		{"across two polygons: the overlay decides", two, ring(0.5, 0.2, 1.5, 0.2, 1.5, 0.8, 0.5, 0.8), false},
		{"in one of two polygons", two, ring(1.2, 0.2, 1.8, 0.2, 1.8, 0.8, 1.2, 0.8), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := newEnclosure(tt.parent).contains(orb.MultiPolygon{tt.child}); got != tt.want {
				t.Errorf("contains = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestEnclosureJiangyin: every micro grid of Jiangyin, which shares its
// grid's border vertex for vertex in decimal coordinates (where a
// midpoint of a shared edge is rounded off it), passes the exact test.
func TestEnclosureJiangyin(t *testing.T) {
	ds := jiangyin(t)
	grids := ds.Layer("grids")
	encs := map[string]enclosure{}
	failed := 0
	for _, g := range ds.Layer("microgrids").Grids {
		enc, ok := encs[g.Parent]
		if !ok {
			enc = newEnclosure(grids.Grid(g.Parent).Geom)
			encs[g.Parent] = enc
		}
		if !enc.contains(g.Geom) {
			failed++
		}
	}
	if failed > 0 {
		t.Errorf("%d micro grids fail the exact inside test", failed)
	}
}

// TestEnclosureMatchesOverlay: over random triangles on a lattice of the
// U-shaped parent's scale (so that vertices fall on its edges and edges
// through its corners), the exact test says inside exactly when the
// overlay finds no area of the triangle outside.
func TestEnclosureMatchesOverlay(t *testing.T) {
	const seed = 20261207
	t.Logf("seed %d", seed)
	r := gridtest.Rand(seed)
	x := func() float64 { return float64(int(r.Float64()*15)) / 4 } // 0, 0.25 … 3.5
	y := func() float64 { return float64(int(r.Float64()*10)) / 4 } // 0, 0.25 … 2.25
	enc := newEnclosure(uShape)
	parent := sfconv.MultiPolygon(uShape).AsGeometry()
	in, out := 0, 0
	for i := 0; i < 4000; i++ {
		child := ring(x(), y(), x(), y(), x(), y())
		c := child[0]
		if orient := (c[1][0]-c[0][0])*(c[2][1]-c[0][1]) - (c[1][1]-c[0][1])*(c[2][0]-c[0][0]); orient == 0 {
			continue // not a polygon
		}
		diff, err := geom.Difference(sfconv.MultiPolygon(orb.MultiPolygon{child}).AsGeometry(), parent)
		if err != nil {
			t.Fatal(err)
		}
		outside := diff.Area() > 1e-12
		if got := enc.contains(orb.MultiPolygon{child}); got == outside {
			t.Fatalf("triangle %v: contains = %v, overlay area outside %g", fmt.Sprint(c), got, diff.Area())
		}
		if outside {
			out++
		} else {
			in++
		}
	}
	if in < 200 || out < 200 {
		t.Errorf("%d inside, %d outside: the sample misses a side", in, out)
	}
}
