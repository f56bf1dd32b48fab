package label_test

import (
	"math"
	"testing"

	"github.com/gridmap/gridmap/geo/label"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestPole(t *testing.T) {
	sq := orb.Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
	tests := []struct {
		name  string
		mp    orb.MultiPolygon
		want  orb.Point // approximately, within 1 % of the box
		wantD float64
	}{
		{"square", orb.MultiPolygon{{sq}}, orb.Point{5, 5}, 5},
		// A C shape: its centroid lies in the mouth, outside. The best
		// places are the inner corners, 2-√2 from the inner vertex.
		{"C shape", orb.MultiPolygon{{{{0, 0}, {10, 0}, {10, 2}, {2, 2}, {2, 8}, {10, 8}, {10, 10}, {0, 10}, {0, 0}}}}, orb.Point{1, 5}, 4 - 2*math.Sqrt2},
		// A square with a square hole in the middle: the label is in the
		// frame, not the hole.
		{"frame", orb.MultiPolygon{{sq, {{2, 2}, {2, 8}, {8, 8}, {8, 2}, {2, 2}}}}, orb.Point{1, 5}, 4 - 2*math.Sqrt2},
		// Two parts: the larger wins.
		{"two parts", orb.MultiPolygon{{{{20, 0}, {22, 0}, {22, 2}, {20, 2}, {20, 0}}}, {sq}}, orb.Point{5, 5}, 5},
		{"empty", nil, orb.Point{}, 0},
		{"flat", orb.MultiPolygon{{{{0, 0}, {1, 0}, {2, 0}, {0, 0}}}}, orb.Point{0, 0}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, d := label.Pole(tc.mp, 0)
			if math.Abs(d-tc.wantD) > 0.01*10 {
				t.Errorf("distance %g, want %g (point %v)", d, tc.wantD, p)
			}
			if tc.name == "square" || tc.name == "two parts" {
				if p.Equal(tc.want) == false && planar.Distance(p, tc.want) > 0.1 {
					t.Errorf("point %v, want %v", p, tc.want)
				}
			}
			if tc.wantD > 0 && !planar.MultiPolygonContains(tc.mp, p) {
				t.Errorf("point %v outside", p)
			}
		})
	}
}
