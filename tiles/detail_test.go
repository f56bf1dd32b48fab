package tiles

import (
	"math"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// worstDropped returns the largest distance, in the unit Mercator square,
// of a vertex of the layer's arcs from the border simplified for zoom z.
func worstDropped(l *layerSource, z int) float64 {
	worst := 0.0
	for i, a := range l.topo.arcs {
		simp := l.simp.at(z)[i]
		j := 0 // simp[j-1], simp[j] bound the original vertex
		for _, p := range a {
			if j < len(simp) && p == simp[j] {
				j++
				continue
			}
			if j == 0 || j >= len(simp) {
				continue
			}
			worst = max(worst, planar.DistanceFromSegment(simp[j-1], simp[j], p))
		}
	}
	return worst
}

// TestDetailZoom: at the detail zoom of Jiangyin (the TileJSON maxzoom),
// every vertex that simplification drops lies within DetailM of the
// simplified border in every layer, and one zoom less drops one farther:
// it is the first zoom from which tiles add nothing a client cannot get by
// overzooming. A larger DetailM gives a lower zoom.
func TestDetailZoom(t *testing.T) {
	d, s := jiangyinSource(t)
	z := s.DetailZoom()
	t.Logf("detail zoom %d", z)
	if z <= 14 || z >= MaxZoom {
		t.Fatalf("detail zoom %d, want one past the micro grids' first zoom 14 and below %d", z, MaxZoom)
	}
	floor := DefaultDetailM / (earthCircumference * math.Cos(s.bound.Center()[1]*math.Pi/180))
	worstBelow := 0.0
	for _, l := range s.layers {
		if w := worstDropped(l, z); w >= floor {
			t.Errorf("%s: a vertex %.2f m from its border at the detail zoom %d", l.name, w/floor*DefaultDetailM, z)
		}
		worstBelow = max(worstBelow, worstDropped(l, z-1))
	}
	if worstBelow < floor {
		t.Errorf("zoom %d drops no vertex farther than %g m: the detail zoom is not the first", z-1, DefaultDetailM)
	}
	coarse, err := NewSource(d, Options{DetailM: 5})
	if err != nil {
		t.Fatal(err)
	}
	if cz := coarse.DetailZoom(); cz >= z {
		t.Errorf("detail zoom %d at 5 m, want below %d at %g m", cz, z, DefaultDetailM)
	}
}

// TestDetailZoomSquares: grids of straight-edged squares carry no detail
// past the zoom at which tile coordinates get finer than DetailM (or their
// own first zoom); without simplification the rounding alone decides.
func TestDetailZoomSquares(t *testing.T) {
	square := func(code string, lon, lat, side float64) *geo.Grid {
		r := orb.Ring{{lon, lat}, {lon + side, lat}, {lon + side, lat + side}, {lon, lat + side}, {lon, lat}}
		return &geo.Grid{Code: code, Geom: orb.MultiPolygon{{r}}}
	}
	var grids []*geo.Grid
	for i := range 4 {
		grids = append(grids, square(string(rune('a'+i)), float64(i)*0.01, 0, 0.01))
	}
	d, err := geo.NewDataset([]*geo.Layer{{Name: "squares", Grids: grids}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts Options
		want int
	}{
		// 1/(4096·2^z) of the equator ≤ 0.5 m from z15
		{"default", Options{}, 15},
		{"5 m", Options{DetailM: 5}, 11},
		{"no simplification", Options{Tolerance: -1}, 15},
		{"1 cm", Options{DetailM: 0.01}, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSource(d, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.DetailZoom(); got != tt.want {
				t.Errorf("DetailZoom() = %d, want %d", got, tt.want)
			}
			if tj := s.TileJSON(""); tj.MaxZoom != tt.want || tj.VectorLayers[0].MaxZoom != tt.want {
				t.Errorf("TileJSON maxzoom %d, layer %d, want %d", tj.MaxZoom, tj.VectorLayers[0].MaxZoom, tt.want)
			}
		})
	}
}
