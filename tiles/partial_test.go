package tiles

import (
	"fmt"
	"math"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// blockOrigin is the south-west corner of the hand-made block (lon, lat
// WGS84), at Chengdu's latitude.
var blockOrigin = orb.Point{104.08, 30.65}

// metresAt returns the point e metres east and n metres north of
// blockOrigin (lon, lat WGS84; a local flat approximation).
func metresAt(e, n float64) orb.Point {
	const m = 111320.0 // metres per degree of latitude
	return orb.Point{blockOrigin[0] + e/(m*math.Cos(blockOrigin[1]*math.Pi/180)), blockOrigin[1] + n/m}
}

// rectRing is the ring of the rectangle [e0, e1] × [n0, n1] metres from
// blockOrigin, counter-clockwise.
func rectRing(e0, n0, e1, n1 float64) orb.Ring {
	return orb.Ring{metresAt(e0, n0), metresAt(e1, n0), metresAt(e1, n1), metresAt(e0, n1), metresAt(e0, n0)}
}

func rectGrid(code, parent string, households int, rings ...orb.Ring) *geo.Grid {
	g := &geo.Grid{Code: code, Name: code, Parent: parent, Geom: orb.MultiPolygon{orb.Polygon(rings)}}
	if households > 0 {
		g.Props = map[string]any{"households": float64(households)}
	}
	return g
}

// blockDataset is a hand-made Jinjiang-like block, 1200 m square: two grids
// tile it, and 28 buildings stand in them with streets between: a row of
// 20 m blocks, an 11 m one, two that share a wall, one round a courtyard
// (a hole), an L, and a 0.1 m survey marker that no zoom of the layer can
// draw as a polygon. partial declares the building layer partial.
func blockDataset(t testing.TB, partial bool) *geo.Dataset {
	t.Helper()
	district := geo.NewLayer("district", []*geo.Grid{rectGrid("D", "", 0, rectRing(0, 0, 1200, 1200))})
	grids := geo.NewLayer("grids", []*geo.Grid{
		rectGrid("G1", "D", 0, rectRing(0, 0, 600, 1200)),
		rectGrid("G2", "D", 0, rectRing(600, 0, 1200, 1200)),
	})
	grids.Parent = "district"
	var bs []*geo.Grid
	for i := range 20 {
		e := 50 + float64(i)*25
		bs = append(bs, rectGrid(fmt.Sprintf("G1-%02d", i), "G1", 10+i, rectRing(e, 100, e+20, 120)))
	}
	bs = append(bs,
		rectGrid("G1-small", "G1", 12, rectRing(100, 300, 111, 311)),
		rectGrid("G1-marker", "G1", 1, rectRing(200, 300, 200.1, 300.1)),
		rectGrid("G2-wall-a", "G2", 30, rectRing(700, 100, 715, 115)),
		rectGrid("G2-wall-b", "G2", 31, rectRing(715, 100, 730, 115)),
		rectGrid("G2-court", "G2", 80, rectRing(800, 400, 840, 440), reverse(rectRing(810, 410, 830, 430))),
		rectGrid("G2-L", "G2", 44, orb.Ring{metresAt(900, 600), metresAt(930, 600), metresAt(930, 610),
			metresAt(910, 610), metresAt(910, 640), metresAt(900, 640), metresAt(900, 600)}),
		rectGrid("G2-edge", "G2", 5, rectRing(1180, 1180, 1199, 1199)),
		rectGrid("G2-noh", "G2", 0, rectRing(1000, 1000, 1020, 1020)),
	)
	buildings := geo.NewLayer("buildings", bs)
	buildings.Parent, buildings.Partial = "grids", partial
	d, err := geo.NewDataset([]*geo.Layer{district, grids, buildings})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func reverse(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

// TestPartialLayerZooms: a layer of buildings is partial whether declared
// or not (undeclared, it covers a sliver of its grids), is shown from the
// zoom its median building is DefaultMinPartialPixels wide (20 m: z16),
// and TileJSON says both; the tiling layers above it are not partial.
func TestPartialLayerZooms(t *testing.T) {
	for _, declared := range []bool{true, false} {
		t.Run(fmt.Sprintf("declared=%v", declared), func(t *testing.T) {
			s, err := NewSource(blockDataset(t, declared), Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]LayerZoom{
				"district":  {"district", 0, MaxZoom, false},
				"grids":     {"grids", 13, MaxZoom, false},
				"buildings": {"buildings", 16, MaxZoom, true},
			}
			for _, lz := range s.LayerZooms() {
				if lz != want[lz.Name] {
					t.Errorf("%s: %+v, want %+v", lz.Name, lz, want[lz.Name])
				}
			}
			for _, vl := range s.TileJSON("/{z}/{x}/{y}.mvt").VectorLayers {
				if w, ok := want[vl.ID]; ok && (vl.Partial != w.Partial || vl.MinZoom != w.MinZoom) {
					t.Errorf("TileJSON %s: partial %v minzoom %d, want %v %d", vl.ID, vl.Partial, vl.MinZoom, w.Partial, w.MinZoom)
				}
			}
		})
	}
}

// TestPartialMinPixels: MinPartialPixels moves the buildings' first zoom
// and nothing else.
func TestPartialMinPixels(t *testing.T) {
	tests := []struct {
		px   float64
		want int
	}{{4, 15}, {8, 16}, {16, 17}, {32, 18}}
	for _, tc := range tests {
		s, err := NewSource(blockDataset(t, true), Options{MinPartialPixels: tc.px})
		if err != nil {
			t.Fatal(err)
		}
		z := s.LayerZooms()
		if z[2].MinZoom != tc.want || z[1].MinZoom != 13 {
			t.Errorf("MinPartialPixels %g: zooms %v, want buildings from z%d, grids z13", tc.px, z, tc.want)
		}
	}
	if err := (Options{MinPartialPixels: -1}).Validate(); err == nil {
		t.Error("MinPartialPixels -1 validated")
	}
}

// layerCodes decodes every tile of zoom z over bound b with orb's decoder
// and returns, per code of layer name, how its features came: "polygon"
// when any tile drew it as a polygon, else "point". It also returns the
// largest tile in bytes and which tile that was.
func layerCodes(t *testing.T, s *Source, name string, b orb.Bound, z int) (map[string]string, int, maptile.Tile) {
	t.Helper()
	seen := map[string]string{}
	most, at := 0, maptile.Tile{}
	for _, tl := range tilesOver(b, z) {
		raw, err := s.Tile(z, int(tl.X), int(tl.Y))
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) > most {
			most, at = len(raw), tl
		}
		if len(raw) == 0 {
			continue
		}
		layers, err := mvt.Unmarshal(raw)
		if err != nil {
			t.Fatalf("%v: %v", tl, err)
		}
		for _, ml := range layers {
			if ml.Name != name {
				continue
			}
			for _, f := range ml.Features {
				code, _ := f.Properties["code"].(string)
				switch f.Geometry.(type) {
				case orb.Polygon, orb.MultiPolygon:
					seen[code] = "polygon"
				case orb.Point:
					if seen[code] == "" {
						seen[code] = "point"
					}
				default:
					t.Errorf("%v: %s %s is a %T", tl, name, code, f.Geometry)
				}
			}
		}
	}
	return seen, most, at
}

// TestPartialEveryBuildingEveryZoom decodes every tile of every zoom from
// the buildings' first to z20 over the block: each building is in the
// buildings layer of each zoom, as a polygon, except the 0.1 m marker,
// which is a point where it is under one tile unit (documented in
// Source.Tile). Below the first zoom the layer is absent.
func TestPartialEveryBuildingEveryZoom(t *testing.T) {
	for _, declared := range []bool{true, false} {
		t.Run(fmt.Sprintf("declared=%v", declared), func(t *testing.T) {
			d := blockDataset(t, declared)
			s, err := NewSource(d, Options{})
			if err != nil {
				t.Fatal(err)
			}
			b := d.Layer("buildings").Bound()
			if seen, _, _ := layerCodes(t, s, "buildings", b, 15); len(seen) > 0 {
				t.Errorf("z15, below the layer: %d buildings drawn", len(seen))
			}
			for z := 16; z <= 20; z++ {
				seen, _, _ := layerCodes(t, s, "buildings", b, z)
				for _, g := range d.Layer("buildings").Grids {
					want := "polygon"
					if g.Code == "G1-marker" && z < 19 {
						want = "point" // 0.1 m: under a tile unit (0.03 m at z19)
					}
					if seen[g.Code] != want {
						t.Errorf("z%d: building %s drawn as %q, want %q", z, g.Code, seen[g.Code], want)
					}
				}
			}
		})
	}
}

// TestPartialGapsNotCounted: the gap and overlap measure of the building
// layer counts the streets between buildings as outside the layer, not as
// gaps, and finds none where two buildings share a wall.
func TestPartialGapsNotCounted(t *testing.T) {
	d := blockDataset(t, true)
	s, err := NewSource(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := layerByName(s, "buildings")
	outer := outline(l)
	for z := 16; z <= 19; z++ {
		var c coverage
		for _, tl := range tilesOver(d.Layer("buildings").Bound(), z) {
			if err := measureCoverage(s, l, outer, z, int(tl.X), int(tl.Y), &c); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("z%d: %d features (%d points), covered %.4g u², gap %.3g u², overlap %.3g u², outside %.3g u²", z, c.features, c.points, c.covered, c.gap, c.overlap, c.outside)
		if c.covered == 0 || c.worstGap > 1 || c.worstOverlap > 1 {
			t.Errorf("z%d: covered %g u², worst gap %g u², worst overlap %g u² (bound 1 u²)", z, c.covered, c.worstGap, c.worstOverlap)
		}
	}
}
