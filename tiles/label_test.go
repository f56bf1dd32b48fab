package tiles

import (
	"fmt"
	"math"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/label"
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
				if dist := label.SignedDistance(lab, proj); dist <= 0 {
					t.Errorf("%s: label %v on the border (%g)", g.Code, unproject(lab), dist)
				}
			}
			t.Logf("%d labels inside their grids", len(gl.Grids))
		})
	}
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
