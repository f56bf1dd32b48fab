package importer

import (
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// degrees turns rings given in the small integer units of the issue's
// examples into (lon, lat) degrees around Jiangyin: 1000 units a degree.
func degrees(rings ...[]float64) orb.MultiPolygon {
	var p orb.Polygon
	for _, xy := range rings {
		var r orb.Ring
		for i := 0; i+1 < len(xy); i += 2 {
			r = append(r, orb.Point{120 + xy[i]/1000, 31 + xy[i+1]/1000})
		}
		p = append(p, r)
	}
	mp := orb.MultiPolygon{p}
	orient(mp)
	return mp
}

// TestHoleValidity: holes nested in one another, whichever vertex they
// start at, and a hole outside its shell touching it only at its first
// vertex are refused, naming the rings and a place; holes that touch at
// one vertex side by side stay valid.
func TestHoleValidity(t *testing.T) {
	shell := []float64{20, 320, 260, 320, 260, 20, 20, 20, 20, 320}
	tests := []struct {
		name string
		mp   orb.MultiPolygon
		kind string // "" for valid
		text string
	}{
		{"nested holes starting at the same vertex (issue 16)", degrees(shell,
			[]float64{140, 280, 80, 100, 200, 100, 140, 280},
			[]float64{140, 280, 40, 80, 240, 80, 140, 280}),
			KindInvalidGeometry, "hole 1 lies inside hole 2"},
		{"the same, outer hole first", degrees(shell,
			[]float64{140, 280, 40, 80, 240, 80, 140, 280},
			[]float64{140, 280, 80, 100, 200, 100, 140, 280}),
			KindInvalidGeometry, "hole 2 lies inside hole 1"},
		{"nested holes starting at other vertices", degrees(shell,
			[]float64{80, 100, 200, 100, 140, 280, 80, 100},
			[]float64{140, 280, 40, 80, 240, 80, 140, 280}),
			KindInvalidGeometry, "inside"},
		{"hole outside its shell touching it at its first vertex", degrees(
			[]float64{0, 0, 100, 0, 100, 100, 0, 100, 0, 0},
			[]float64{100, 50, 150, 30, 150, 70, 100, 50}),
			KindHoleOutsideShell, "outside"},
		{"holes side by side sharing a vertex", degrees(shell,
			[]float64{140, 160, 60, 60, 130, 60, 140, 160},
			[]float64{140, 160, 150, 60, 220, 60, 140, 160}),
			"", ""},
		{"one hole", degrees(shell, []float64{140, 280, 80, 100, 200, 100, 140, 280}), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, msg, at := checkValidity(tt.mp)
			if kind != tt.kind || !strings.Contains(msg, tt.text) {
				t.Fatalf("checkValidity = %q %q, want %q with %q", kind, msg, tt.kind, tt.text)
			}
			if kind == KindInvalidGeometry && at == nil {
				t.Errorf("%s without a place", msg)
			}
		})
	}
}
