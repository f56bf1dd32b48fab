package tiles

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

func square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}} // CCW
}

func TestBuildTopology(t *testing.T) {
	hole := orb.Ring{{0.2, 0.2}, {0.2, 0.4}, {0.4, 0.4}, {0.4, 0.2}, {0.2, 0.2}} // CW
	tests := []struct {
		name  string
		geoms []orb.MultiPolygon
		arcs  int
	}{
		{"one square, pinned at two corners", []orb.MultiPolygon{{{square(0, 0, 1, 1)}}}, 2},
		{"two squares sharing an edge", []orb.MultiPolygon{
			{{square(0, 0, 1, 1)}}, {{square(1, 0, 2, 1)}},
		}, 3},
		{"four squares meeting at a point", []orb.MultiPolygon{
			{{square(0, 0, 1, 1)}}, {{square(1, 0, 2, 1)}}, {{square(0, 1, 1, 2)}}, {{square(1, 1, 2, 2)}},
		}, 4 + 4}, // inner edges + outer corners between the edge midpoints
		{"enclave filling a hole", []orb.MultiPolygon{
			{{square(0, 0, 1, 1), hole}}, {{square(0.2, 0.2, 0.4, 0.4)}},
		}, 2 + 2}, // outer and shared hole, each pinned at two corners
		{"repeated and duplicate points", []orb.MultiPolygon{
			{{orb.Ring{{0, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}},
		}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			topo := buildTopology(tc.geoms)
			if len(topo.arcs) != tc.arcs {
				t.Errorf("%d arcs, want %d", len(topo.arcs), tc.arcs)
			}
			// Every ring rebuilt from its arcs is the input ring, projected.
			for gi, mp := range tc.geoms {
				for pi, p := range mp {
					for ri, r := range p {
						got := rebuild(topo.polys[gi][pi][ri], topo.arcs)
						if math.Abs(ringArea(got)-ringArea(projectRing(r))) > 1e-15 {
							t.Errorf("grid %d ring %d: area %g, want %g", gi, ri, ringArea(got), ringArea(projectRing(r)))
						}
						if got[0] != got[len(got)-1] {
							t.Errorf("grid %d ring %d not closed", gi, ri)
						}
					}
				}
			}
		})
	}
}

func rebuild(tr topoRing, arcs [][]orb.Point) orb.Ring {
	var r orb.Ring
	for k, ref := range tr {
		a := append([]orb.Point(nil), arcs[ref.index()]...)
		if ref.reversed() {
			for i, j := 0, len(a)-1; i < j; i, j = i+1, j-1 {
				a[i], a[j] = a[j], a[i]
			}
		}
		if k > 0 {
			if r[len(r)-1] != a[0] {
				panic("arcs do not chain")
			}
			a = a[1:]
		}
		r = append(r, a...)
	}
	return r
}

func projectRing(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[i] = project(p)
	}
	return out
}

func ringArea(r orb.Ring) float64 { return area2(r) / 2 }

func TestTileJSON(t *testing.T) {
	_, s := jiangyinSource(t)
	tj := s.TileJSON("https://example.org/tiles/{z}/{x}/{y}.mvt")
	b, err := json.Marshal(tj)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"tilejson", "tiles", "vector_layers", "bounds", "center", "minzoom", "maxzoom", "name"} {
		if _, ok := m[k]; !ok {
			t.Errorf("TileJSON has no %q: %s", k, b)
		}
	}
	if tj.TileJSON != "3.0.0" || tj.MinZoom != 0 || tj.MaxZoom != s.DetailZoom() || tj.MaxZoom >= MaxZoom {
		t.Errorf("tilejson %q zooms %d..%d", tj.TileJSON, tj.MinZoom, tj.MaxZoom)
	}
	if w, s, e, n := tj.Bounds[0], tj.Bounds[1], tj.Bounds[2], tj.Bounds[3]; w < 119.9 || e > 120.7 || s < 31.5 || n > 32.1 || w >= e || s >= n {
		t.Errorf("bounds %v not around Jiangyin", tj.Bounds)
	}
	if c := tj.Center; c[0] < tj.Bounds[0] || c[0] > tj.Bounds[2] || c[2] < 8 || c[2] > 12 {
		t.Errorf("center %v", c)
	}
	zooms := s.LayerZooms()
	if len(tj.VectorLayers) != len(zooms)+1 {
		t.Fatalf("%d vector layers, want %d and labels", len(tj.VectorLayers), len(zooms))
	}
	lab := tj.VectorLayers[len(zooms)]
	if lab.ID != LabelLayer || lab.MinZoom != 0 || lab.MaxZoom != tj.MaxZoom || len(lab.Fields) != 3 || lab.Fields["layer"] != "String" || lab.Fields["name"] != "String" || lab.Fields["code"] != "String" {
		t.Errorf("labels layer %+v", lab)
	}
	for i, vl := range tj.VectorLayers[:len(zooms)] {
		if vl.ID != zooms[i].Name || vl.MinZoom != zooms[i].MinZoom || vl.MaxZoom != tj.MaxZoom {
			t.Errorf("vector layer %d = %s %d..%d, want %v", i, vl.ID, vl.MinZoom, vl.MaxZoom, zooms[i])
		}
		want := map[string]string{"code": "String", "name": "String", "level": "String", "households": "Number"}
		if vl.ID != "county" {
			want["parent"] = "String"
		}
		if vl.ID == "grids" || vl.ID == "microgrids" {
			want["grid_type"] = "String"
		}
		if len(vl.Fields) != len(want) {
			t.Errorf("%s fields %v, want %v", vl.ID, vl.Fields, want)
		}
		for k, v := range want {
			if vl.Fields[k] != v {
				t.Errorf("%s field %s = %q, want %q", vl.ID, k, vl.Fields[k], v)
			}
		}
	}
}

func TestNewSourceErrors(t *testing.T) {
	if _, err := NewSource(&geo.Dataset{}, Options{Extent: 1000}); err == nil {
		t.Error("extent 1000 accepted")
	}
	if _, err := NewSource(nil, Options{}); err == nil {
		t.Error("nil dataset accepted")
	}
	s, err := NewSource(&geo.Dataset{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := s.Tile(0, 0, 0); err != nil || len(b) != 0 {
		t.Errorf("empty dataset: %d bytes, %v", len(b), err)
	}
}
