package search_test

import (
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/search"
	"github.com/paulmach/orb"
)

// TestCenterInside: the centre is owned by its grid under geo's boundary
// rule, also where the middle of the box is not (a C shape, a frame).
func TestCenterInside(t *testing.T) {
	sq := orb.Ring{{120, 31}, {121, 31}, {121, 32}, {120, 32}, {120, 31}}
	for _, tc := range []struct {
		name string
		mp   orb.MultiPolygon
	}{
		{"square", orb.MultiPolygon{{sq}}},
		{"C shape", orb.MultiPolygon{{{{120, 31}, {121, 31}, {121, 31.2}, {120.2, 31.2}, {120.2, 31.8}, {121, 31.8}, {121, 32}, {120, 32}, {120, 31}}}}},
		{"frame", orb.MultiPolygon{{sq, {{120.2, 31.2}, {120.2, 31.8}, {120.8, 31.8}, {120.8, 31.2}, {120.2, 31.2}}}}},
		{"two parts", orb.MultiPolygon{{{{122, 31}, {122.1, 31}, {122.1, 31.1}, {122, 31.1}, {122, 31}}}, {sq}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if c := search.Center(tc.mp); !geo.Contains(tc.mp, c) {
				t.Errorf("centre %v is not inside", c)
			}
		})
	}
}

// TestSearchOrder: exact code, then code prefix, then name prefix, then
// name substring; ties to the coarser layer.
func TestSearchOrder(t *testing.T) {
	sq := func(x float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x, 31}, {x + 1, 31}, {x + 1, 32}, {x, 32}, {x, 31}}}}
	}
	towns := geo.NewLayer("towns", []*geo.Grid{{Code: "12", Name: "Ashore", Props: map[string]any{}, Geom: sq(120)}})
	grids := geo.NewLayer("grids", []*geo.Grid{
		{Code: "1", Parent: "12", Name: "Shore", Props: map[string]any{}, Geom: sq(120)},
	})
	d, err := geo.NewDataset([]*geo.Layer{towns, grids})
	if err != nil {
		t.Fatal(err)
	}
	ix := search.New(d)
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"1", []string{"1", "12"}},
		{"sho", []string{"1", "12"}},
		{"a", []string{"12"}},
		{"zzz", nil},
	} {
		var got []string
		for _, r := range ix.Search(tc.q, 10) {
			got = append(got, r.Code)
		}
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("search %q: %v, want %v", tc.q, got, tc.want)
		}
	}
}
