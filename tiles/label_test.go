package tiles

import (
	"fmt"
	"math"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"
)

// unproject is the inverse of project: (lon, lat) degrees of a point of the
// unit Mercator square.
func unproject(p orb.Point) orb.Point {
	return orb.Point{p[0]*360 - 180, math.Atan(math.Sinh(math.Pi*(1-2*p[1]))) * 180 / math.Pi}
}

func TestPoleOfInaccessibility(t *testing.T) {
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
			p, d := poleOfInaccessibility(tc.mp, 0)
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

// TestLabelsInside checks every grid of every Jiangyin layer: its label
// point lies inside its polygon, both in the Mercator plane it was found in
// and in (lon, lat), away from the border.
func TestLabelsInside(t *testing.T) {
	d, s := jiangyinSource(t)
	for li, l := range s.layers {
		t.Run(l.name, func(t *testing.T) {
			gl := d.Layers[li]
			for i, g := range gl.Grids {
				lab := l.feats[i].label
				proj := projectInto(nil, g.Geom)
				if !planar.MultiPolygonContains(proj, lab) {
					t.Errorf("%s: label %v outside the projected polygon", g.Code, unproject(lab))
					continue
				}
				if ll := unproject(lab); !planar.MultiPolygonContains(g.Geom, ll) {
					t.Errorf("%s: label %v outside the polygon", g.Code, ll)
				}
				if dist := signedDistanceMulti(lab, proj); dist <= 0 {
					t.Errorf("%s: label %v on the border (%g)", g.Code, unproject(lab), dist)
				}
			}
			t.Logf("%d labels inside their grids", len(gl.Grids))
		})
	}
}

func signedDistanceMulti(p orb.Point, mp orb.MultiPolygon) float64 {
	best := math.Inf(-1)
	for _, poly := range mp {
		best = max(best, signedDistance(p, poly))
	}
	return best
}

// TestSmallGridPoint checks that a grid too small to draw at a zoom is a
// Point of its layer, with its id and properties, in exactly one tile, and
// a polygon again where it is large enough; with PointBelowPixels a grid
// under that size is a point too.
func TestSmallGridPoint(t *testing.T) {
	big := orb.MultiPolygon{{{{120, 31}, {120.5, 31}, {120.5, 31.5}, {120, 31.5}, {120, 31}}}}
	// 1e-4° ≈ 10 m: under a pixel until about z13, 2 px at z14.
	tiny := orb.MultiPolygon{{{{120.5, 31.2}, {120.5001, 31.2}, {120.5001, 31.2001}, {120.5, 31.2001}, {120.5, 31.2}}}}
	l := geo.NewLayer("towns", []*geo.Grid{
		{Code: "A", Name: "big", Props: map[string]any{}, Geom: big},
		{Code: "B", Name: "tiny", Props: map[string]any{"households": 3.0}, Geom: tiny},
	})
	d, err := geo.NewDataset([]*geo.Layer{l})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		opts Options
		z    int
		want string // geometry of B
	}{
		{Options{}, 8, "Point"},
		{Options{}, 12, "Point"},
		{Options{}, 14, "Polygon"},
		{Options{}, 18, "Polygon"},
		{Options{PointBelowPixels: 2}, 13, "Point"},
		{Options{PointBelowPixels: 2}, 15, "Polygon"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("z%d %g px", tc.z, tc.opts.PointBelowPixels), func(t *testing.T) {
			s, err := NewSource(d, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			found := 0
			// The tiles around the tiny grid.
			c := maptile.At(orb.Point{120.50005, 31.20005}, maptile.Zoom(tc.z))
			for dx := -1; dx <= 1; dx++ {
				for dy := -1; dy <= 1; dy++ {
					b, err := s.Tile(tc.z, int(c.X)+dx, int(c.Y)+dy)
					if err != nil {
						t.Fatal(err)
					}
					layers, err := mvt.Unmarshal(b)
					if err != nil {
						t.Fatal(err)
					}
					for _, ml := range layers {
						if ml.Name != "towns" {
							continue
						}
						for _, f := range ml.Features {
							if f.Properties["code"] != "B" {
								continue
							}
							found++
							if f.Geometry.GeoJSONType() != tc.want {
								t.Errorf("tile %d/%d: B is a %s, want %s", dx, dy, f.Geometry.GeoJSONType(), tc.want)
							}
							if id, _ := f.ID.(float64); uint64(id) != FeatureID("towns", "B") || f.Properties["households"] != float64(3) || f.Properties["name"] != "tiny" {
								t.Errorf("B: id %v properties %v", f.ID, f.Properties)
							}
						}
					}
				}
			}
			if found == 0 || tc.want == "Point" && found != 1 {
				t.Errorf("B found in %d tiles", found)
			}
		})
	}
}
