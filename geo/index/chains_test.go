package index_test

import (
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/index"
	"github.com/paulmach/orb"
)

// TestChainsStopAtMissingParent checks the ancestor table where a parent link is
// missing: a chain ends at the last grid whose parent is in the dataset, in
// the finest layer and in coarser ones, and the table agrees with the walk of
// the parent links for every grid.
func TestChainsStopAtMissingParent(t *testing.T) {
	county := geo.NewLayer("county", []*geo.Grid{{Code: "1", Geom: square(120, 31, 2)}})
	towns := geo.NewLayer("towns", []*geo.Grid{
		{Code: "11", Parent: "1", Geom: square(120, 31, 1)},
		{Code: "12", Parent: "9", Geom: square(121, 31, 1)}, // no grid 9
	})
	micro := geo.NewLayer("micro", []*geo.Grid{
		{Code: "111", Parent: "11", Geom: square(120, 31, 0.5)},
		{Code: "112", Parent: "77", Geom: square(120.5, 31, 0.5)}, // no grid 77
		{Code: "121", Parent: "12", Geom: square(121, 31, 0.5)},
	})
	d, err := geo.NewDataset([]*geo.Layer{county, towns, micro})
	if err != nil {
		t.Fatal(err)
	}
	x, err := index.NewIndex(d)
	if err != nil {
		t.Fatal(err)
	}
	if msg := x.ChainsAgreeForTest(); msg != "" {
		t.Fatal(msg)
	}
	for _, tc := range []struct {
		p    orb.Point
		want string
	}{
		{orb.Point{120.25, 31.25}, "111 11 1"},
		{orb.Point{120.75, 31.25}, "112"},
		{orb.Point{121.25, 31.25}, "121 12"},
		{orb.Point{121.75, 31.75}, "12"},
		{orb.Point{120.75, 31.75}, "11 1"},
		{orb.Point{119.5, 31.5}, ""},
	} {
		var codes []string
		for _, g := range x.Lookup(tc.p[0], tc.p[1]) {
			codes = append(codes, g.Code)
		}
		if got := strings.Join(codes, " "); got != tc.want {
			t.Errorf("%v: chain %q, want %q", tc.p, got, tc.want)
		}
		// a chain appended after another keeps both whole
		hits := x.AppendChains(x.AppendChains(nil, tc.p[0], tc.p[1]), tc.p[0], tc.p[1])
		if len(hits) != 2*len(codes) {
			t.Errorf("%v: two chains appended: %d hits, want %d", tc.p, len(hits), 2*len(codes))
		}
		for i, h := range hits {
			if g := x.Grid(h); g.Code != codes[i%max(1, len(codes))] || h.Boundary || h.Nearest || h.DistanceM != 0 || h.Branch != 0 {
				t.Errorf("%v: hit %d is %+v (%s)", tc.p, i, h, g.Code)
			}
		}
	}
}

// square returns the square of side s (degrees) whose south-west corner is
// (x0, y0), WGS84.
func square(x0, y0, s float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x0 + s, y0}, {x0 + s, y0 + s}, {x0, y0 + s}, {x0, y0}}}}
}
