package tiles

import (
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
)

// propsDataset is one layer of two grids with extra columns of every JSON
// type; "mixed" is a number in one grid and a string in the other.
func propsDataset(t *testing.T) *geo.Dataset {
	t.Helper()
	sq := func(x0 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x0, 31}, {x0 + 0.5, 31}, {x0 + 0.5, 31.5}, {x0, 31.5}, {x0, 31}}}}
	}
	l := geo.NewLayer("grids", []*geo.Grid{
		{Code: "1", Name: "one", Level: "grid", Geom: sq(120), Props: map[string]any{
			"code": "1", "name": "one", "households": 12.0, "grid_type": "urban",
			"officer": "张三", "area_km2": 0.25, "active": true, "tags": []any{"a", "b"}, "note": nil, "mixed": 1.0,
		}},
		{Code: "2", Name: "two", Level: "grid", Geom: sq(120.5), Props: map[string]any{
			"code": "2", "households": 7.0, "officer": "李四", "mixed": "x",
		}},
	})
	d, err := geo.NewDataset([]*geo.Layer{l})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestExtraProps(t *testing.T) {
	d := propsDataset(t)
	tests := []struct {
		name   string
		extra  map[string][]string
		want   map[string]any    // properties of grid 1 in its tile
		fields map[string]string // TileJSON fields of the layer
	}{
		{"standard only", nil,
			map[string]any{"code": "1", "name": "one", "level": "grid", "households": 12.0, "grid_type": "urban"},
			map[string]string{"code": "String", "name": "String", "level": "String", "households": "Number", "grid_type": "String"}},
		{"named", map[string][]string{"grids": {"officer", "active", "nosuch", "code"}},
			map[string]any{"code": "1", "name": "one", "level": "grid", "households": 12.0, "grid_type": "urban", "officer": "张三", "active": true},
			map[string]string{"code": "String", "name": "String", "level": "String", "households": "Number", "grid_type": "String", "officer": "String", "active": "Boolean"}},
		{"all, by the * layer", map[string][]string{"*": {AllProps}},
			map[string]any{"code": "1", "name": "one", "level": "grid", "households": 12.0, "grid_type": "urban", "officer": "张三", "active": true, "area_km2": 0.25, "tags": `["a","b"]`, "mixed": 1.0},
			map[string]string{"code": "String", "name": "String", "level": "String", "households": "Number", "grid_type": "String", "officer": "String", "active": "Boolean", "area_km2": "Number", "tags": "String", "mixed": "Mixed"}},
		{"other layer named", map[string][]string{"towns": {AllProps}}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewSource(d, Options{ExtraProps: tc.extra})
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				tc.want, tc.fields = tests[0].want, tests[0].fields
			}
			b, err := s.Tile(0, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			layers, err := mvt.Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			for _, f := range layers[0].Features {
				if f.Properties["code"] == "1" {
					got = f.Properties
				}
			}
			if len(got) != len(tc.want) {
				t.Errorf("properties %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				g := got[k]
				if n, ok := g.(int64); ok {
					g = float64(n)
				}
				if g != v {
					t.Errorf("property %s = %v (%T), want %v", k, got[k], got[k], v)
				}
			}
			fields := s.TileJSON("x").VectorLayers[0].Fields
			if len(fields) != len(tc.fields) {
				t.Errorf("fields %v, want %v", fields, tc.fields)
			}
			for k, v := range tc.fields {
				if fields[k] != v {
					t.Errorf("field %s = %q, want %q", k, fields[k], v)
				}
			}
		})
	}
}
