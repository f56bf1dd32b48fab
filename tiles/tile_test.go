package tiles

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
)

// probe is the point the zoomed-in tests look at: 澄江街道, Jiangyin.
var probe = orb.Point{120.285, 31.905} // (lon, lat)

// tilesOver returns the tiles of zoom z that cover bound b, (lon, lat).
func tilesOver(b orb.Bound, z int) []maptile.Tile {
	lo := maptile.At(orb.Point{b.Min[0], b.Max[1]}, maptile.Zoom(z))
	hi := maptile.At(orb.Point{b.Max[0], b.Min[1]}, maptile.Zoom(z))
	var out []maptile.Tile
	for x := lo.X; x <= hi.X; x++ {
		for y := lo.Y; y <= hi.Y; y++ {
			out = append(out, maptile.New(x, y, maptile.Zoom(z)))
		}
	}
	return out
}

// around returns the 3×3 tiles of zoom z centred on the tile holding p.
func around(p orb.Point, z int) []maptile.Tile {
	c := maptile.At(p, maptile.Zoom(z))
	var out []maptile.Tile
	for dx := -1; dx <= 1; dx++ {
		for dy := -1; dy <= 1; dy++ {
			out = append(out, maptile.New(uint32(int(c.X)+dx), uint32(int(c.Y)+dy), c.Z))
		}
	}
	return out
}

func TestTileDecode(t *testing.T) {
	d, s := jiangyinSource(t)
	county := d.Layers[0].Bound()
	tests := []struct {
		name   string
		z      int
		tiles  []maptile.Tile
		layers []string // layers every tile of the case must have
	}{
		{"z8 county", 8, tilesOver(county, 8), nil},
		{"z8 probe", 8, []maptile.Tile{maptile.At(probe, 8)}, []string{"county"}},
		{"z10 probe", 10, around(probe, 10), []string{"county", "towns"}},
		{"z12 probe", 12, around(probe, 12), []string{"county", "towns", "villages"}},
		{"z13 probe", 13, around(probe, 13), []string{"county", "towns", "villages", "grids"}},
		{"z14 probe", 14, around(probe, 14), []string{"county", "towns", "villages", "grids", "microgrids"}},
		{"z18 probe", 18, []maptile.Tile{maptile.At(probe, 18)}, []string{"county", "towns", "villages", "grids", "microgrids"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, tl := range tc.tiles {
				b, err := s.Tile(tc.z, int(tl.X), int(tl.Y))
				if err != nil {
					t.Fatalf("%v: %v", tl, err)
				}
				layers := checkTile(t, s, d, tl, b)
				var names []string
				for _, l := range layers {
					names = append(names, l.Name)
				}
				if tl != maptile.At(probe, maptile.Zoom(tc.z)) {
					continue // neighbours may lie outside the county
				}
				for _, want := range tc.layers {
					if !slices.Contains(names, want) {
						t.Errorf("%v: layers %v, want %s", tl, names, want)
					}
				}
			}
		})
	}
}

// checkTile decodes tile b with orb and checks it against the source and
// the dataset: layer names, zoom ranges and extent; feature ids and
// properties; rings closed, non-degenerate, within the buffered extent and
// wound as MVT 2.1 wants; every grid whose box lies inside the tile present.
func checkTile(t *testing.T, s *Source, d *geo.Dataset, tl maptile.Tile, b []byte) mvt.Layers {
	t.Helper()
	layers, err := mvt.Unmarshal(b)
	if err != nil {
		t.Fatalf("%v: unmarshal: %v", tl, err)
	}
	z := int(tl.Z)
	zooms := map[string]LayerZoom{}
	for _, lz := range s.LayerZooms() {
		zooms[lz.Name] = lz
	}
	lim := float64(s.opts.Extent + s.opts.Buffer)
	for _, l := range layers {
		if l.Name == LabelLayer {
			checkLabels(t, s, d, tl, l)
			continue
		}
		gl := d.Layer(l.Name)
		if gl == nil {
			t.Fatalf("%v: layer %q not in dataset", tl, l.Name)
		}
		if lz := zooms[l.Name]; z < lz.MinZoom || z > lz.MaxZoom {
			t.Errorf("%v: layer %s outside its zooms %v", tl, l.Name, lz)
		}
		if l.Extent != uint32(s.opts.Extent) || l.Version != 2 {
			t.Errorf("%v: layer %s extent %d version %d", tl, l.Name, l.Extent, l.Version)
		}
		seen := map[string]bool{}
		for _, f := range l.Features {
			checkFeature(t, fmt.Sprintf("%v %s", tl, l.Name), gl, f)
			code, _ := f.Properties["code"].(string)
			if seen[code] {
				t.Errorf("%v: %s: grid %s twice", tl, l.Name, code)
			}
			seen[code] = true
			var polys orb.MultiPolygon
			switch g := f.Geometry.(type) {
			case orb.Polygon:
				polys = orb.MultiPolygon{g}
			case orb.MultiPolygon:
				polys = g
			case orb.Point: // a grid too small to draw
				if g[0] < 0 || g[1] < 0 || g[0] >= float64(s.opts.Extent) || g[1] >= float64(s.opts.Extent) {
					t.Errorf("%v: %s %s: point %v outside the tile", tl, l.Name, code, g)
				}
			default:
				t.Fatalf("%v: %s %s: geometry %T", tl, l.Name, code, g)
			}
			for _, p := range polys {
				for i, r := range p {
					if len(r) < 4 || !r.Closed() {
						t.Fatalf("%v: %s %s: ring of %d points, closed %v", tl, l.Name, code, len(r), r.Closed())
					}
					if a := area2(r); (i == 0) != (a > 0) || a == 0 {
						t.Errorf("%v: %s %s: ring %d area %g", tl, l.Name, code, i, a/2)
					}
					for _, q := range r {
						if q[0] < -float64(s.opts.Buffer) || q[1] < -float64(s.opts.Buffer) || q[0] > lim || q[1] > lim || q[0] != math.Floor(q[0]) || q[1] != math.Floor(q[1]) {
							t.Fatalf("%v: %s %s: point %v outside the buffered extent", tl, l.Name, code, q)
						}
					}
				}
			}
		}
		// Every grid whose box lies inside the tile is in it.
		tb := tl.Bound()
		for _, g := range gl.Grids {
			if gb := g.Bound(); tb.Contains(gb.Min) && tb.Contains(gb.Max) && !seen[g.Code] {
				t.Errorf("%v: %s: grid %s inside the tile is missing", tl, l.Name, g.Code)
			}
		}
	}
	return layers
}

// checkLabels checks a decoded labels layer: ids and properties name a
// grid of a layer shown at the tile's zoom, every point lies in the tile
// proper, no grid is labelled twice, and every grid whose box lies inside
// the tile, of every layer shown, is labelled.
func checkLabels(t *testing.T, s *Source, d *geo.Dataset, tl maptile.Tile, l *mvt.Layer) {
	t.Helper()
	zooms := map[string]LayerZoom{}
	for _, lz := range s.LayerZooms() {
		zooms[lz.Name] = lz
	}
	seen := map[string]bool{}
	for _, f := range l.Features {
		layer, _ := f.Properties["layer"].(string)
		code, _ := f.Properties["code"].(string)
		gl := d.Layer(layer)
		if gl == nil || gl.Grid(code) == nil {
			t.Fatalf("%v: label of unknown grid %q/%q", tl, layer, code)
		}
		if lz := zooms[layer]; int(tl.Z) < lz.MinZoom || int(tl.Z) > lz.MaxZoom {
			t.Errorf("%v: label of %s outside the layer's zooms", tl, layer)
		}
		g := gl.Grid(code)
		if id, _ := f.ID.(float64); uint64(id) != FeatureID(layer, code) || f.Properties["name"] != g.Name || len(f.Properties) != 3 {
			t.Errorf("%v: label %s/%s: id %v properties %v", tl, layer, code, f.ID, f.Properties)
		}
		p, ok := f.Geometry.(orb.Point)
		if !ok || p[0] < 0 || p[1] < 0 || p[0] >= float64(s.opts.Extent) || p[1] >= float64(s.opts.Extent) {
			t.Errorf("%v: label %s/%s: geometry %v", tl, layer, code, f.Geometry)
		}
		if seen[layer+"/"+code] {
			t.Errorf("%v: label %s/%s twice", tl, layer, code)
		}
		seen[layer+"/"+code] = true
	}
	tb := tl.Bound()
	for _, lz := range s.LayerZooms() {
		if int(tl.Z) < lz.MinZoom || int(tl.Z) > lz.MaxZoom {
			continue
		}
		for _, g := range d.Layer(lz.Name).Grids {
			if gb := g.Bound(); tb.Contains(gb.Min) && tb.Contains(gb.Max) && !seen[lz.Name+"/"+g.Code] {
				t.Errorf("%v: grid %s/%s inside the tile has no label", tl, lz.Name, g.Code)
			}
		}
	}
}

// checkFeature checks the id and properties of a decoded feature.
func checkFeature(t *testing.T, where string, gl *geo.Layer, f *geojson.Feature) {
	t.Helper()
	code, _ := f.Properties["code"].(string)
	g := gl.Grid(code)
	if g == nil {
		t.Fatalf("%s: feature code %q not in layer", where, code)
	}
	id, ok := f.ID.(float64)
	if !ok || uint64(id) != FeatureID(gl.Name, code) || id >= 1<<53 {
		t.Errorf("%s: %s: id %v, want %d", where, code, f.ID, FeatureID(gl.Name, code))
	}
	want := map[string]any{"code": g.Code, "name": g.Name, "level": g.Level}
	if g.Parent != "" {
		want["parent"] = g.Parent
	}
	if h, ok := g.Props["households"].(float64); ok {
		want["households"] = h
	}
	if gt, ok := g.Props["grid_type"].(string); ok {
		want["grid_type"] = gt
	}
	if len(f.Properties) != len(want) {
		t.Errorf("%s: %s: properties %v, want %v", where, code, f.Properties, want)
	}
	for k, v := range want {
		got := f.Properties[k]
		if n, ok := got.(int64); ok { // orb decodes sint values as int64
			got = float64(n)
		}
		if got != v {
			t.Errorf("%s: %s: property %s = %v (%T), want %v", where, code, k, f.Properties[k], f.Properties[k], v)
		}
	}
}

func TestTileOutOfRange(t *testing.T) {
	_, s := jiangyinSource(t)
	tests := []struct{ z, x, y int }{
		{-1, 0, 0}, {MaxZoom + 1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {3, -1, 0}, {3, 0, 8}, {14, 1 << 14, 0},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d/%d/%d", tc.z, tc.x, tc.y), func(t *testing.T) {
			b, err := s.Tile(tc.z, tc.x, tc.y)
			if !errors.Is(err, ErrTileOutOfRange) || b != nil {
				t.Errorf("got %d bytes, %v; want ErrTileOutOfRange", len(b), err)
			}
		})
	}
}

func TestTileEmpty(t *testing.T) {
	_, s := jiangyinSource(t)
	for _, z := range []int{0, 5, 14, MaxZoom} {
		tl := maptile.At(orb.Point{-30, -40}, maptile.Zoom(z)) // South Atlantic
		if z == 0 {
			continue // z0 holds everything
		}
		b, err := s.Tile(z, int(tl.X), int(tl.Y))
		if err != nil || b == nil || len(b) != 0 {
			t.Errorf("z%d: got %d bytes (nil %v), %v; want an empty body", z, len(b), b == nil, err)
		}
	}
	b, err := s.Tile(0, 0, 0)
	if err != nil || len(b) == 0 {
		t.Fatalf("z0: %d bytes, %v", len(b), err)
	}
}

func TestLayerZooms(t *testing.T) {
	_, s := jiangyinSource(t)
	got := s.LayerZooms()
	// Derived from the data: a layer is shown once its median grid is
	// DefaultMinGridPixels wide; recorded here to catch drift.
	want := []LayerZoom{
		{"county", 0, MaxZoom, false},
		{"towns", 9, MaxZoom, false},
		{"villages", 12, MaxZoom, false},
		{"grids", 13, MaxZoom, false},
		{"microgrids", 14, MaxZoom, false},
	}
	if !slices.Equal(got, want) {
		t.Errorf("LayerZooms() = %v, want %v", got, want)
	}
	for i := 1; i < len(got); i++ {
		if got[i].MinZoom < got[i-1].MinZoom {
			t.Errorf("%s shown before its coarser layer %s", got[i].Name, got[i-1].Name)
		}
	}
}

func TestLayerMinZoom(t *testing.T) {
	tests := []struct {
		name  string
		size  float64 // unit Mercator square
		minPx float64
		want  int
	}{
		{"empty", 0, 28, 0},
		{"whole world", 1, 28, 0},
		{"exactly 28 px at z3", 28.0 / 256 / 8, 28, 3},
		{"just under", 27.9 / 256 / 8, 28, 4},
		{"tiny", 1e-12, 28, MaxZoom},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := layerMinZoom(tc.size, tc.minPx); got != tc.want {
				t.Errorf("layerMinZoom(%g, %g) = %d, want %d", tc.size, tc.minPx, got, tc.want)
			}
		})
	}
}
