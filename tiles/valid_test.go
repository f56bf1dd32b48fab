package tiles

import (
	"fmt"
	"testing"

	"github.com/gridmap/gridmap/internal/sfconv"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
)

// TestRingsDoNotCross decodes every tile of z8–z16 over Jiangyin and checks
// the rings of every polygon: no two segments of one polygon's rings cross
// inside both (a simplified ring cutting across itself or its hole is not a
// valid MVT polygon), and the polygon is valid by the OGC rules
// (simplefeatures' Validate: no self-touching ring, holes inside, ...),
// also along the tile's buffer edge where clipping joins pieces.
func TestRingsDoNotCross(t *testing.T) {
	d, s := jiangyinSource(t)
	bound := d.Layers[0].Bound()
	for _, l := range d.Layers[1:] {
		bound = bound.Union(l.Bound())
	}
	for z := 8; z <= 16; z++ {
		t.Run(fmt.Sprintf("z%d", z), func(t *testing.T) {
			rings, bad := 0, 0
			for _, tl := range tilesOver(bound, z) {
				b, err := s.Tile(z, int(tl.X), int(tl.Y))
				if err != nil {
					t.Fatal(err)
				}
				if len(b) == 0 {
					continue
				}
				layers, err := mvt.Unmarshal(b)
				if err != nil {
					t.Fatal(err)
				}
				for _, ml := range layers {
					for _, f := range ml.Features {
						polys, ok := asMultiPolygon(f.Geometry)
						if !ok {
							continue
						}
						for _, p := range polys {
							rings += len(p)
							where := crossingIn(p)
							if where == "" {
								where = ogcInvalid(p)
							}
							if where != "" {
								bad++
								if bad <= 5 {
									t.Errorf("%d/%d/%d %s %v: %s", z, tl.X, tl.Y, ml.Name, f.Properties["code"], where)
								}
							}
						}
					}
				}
			}
			t.Logf("%d rings, %d with a crossing", rings, bad)
		})
	}
}

// crossingIn describes the first proper crossing between two segments of
// p's rings, or returns "".
func crossingIn(p orb.Polygon) string {
	type seg struct {
		a, b orb.Point
		r, i int
	}
	var segs []seg
	for ri, r := range p {
		for i := 0; i+1 < len(r); i++ {
			segs = append(segs, seg{r[i], r[i+1], ri, i})
		}
	}
	for x := range segs {
		for y := x + 1; y < len(segs); y++ {
			s1, s2 := segs[x], segs[y]
			if max(s1.a[0], s1.b[0]) < min(s2.a[0], s2.b[0]) || max(s2.a[0], s2.b[0]) < min(s1.a[0], s1.b[0]) ||
				max(s1.a[1], s1.b[1]) < min(s2.a[1], s2.b[1]) || max(s2.a[1], s2.b[1]) < min(s1.a[1], s1.b[1]) {
				continue
			}
			if properCross(s1.a, s1.b, s2.a, s2.b) {
				return fmt.Sprintf("ring %d segment %d %v-%v crosses ring %d segment %d %v-%v", s1.r, s1.i, s1.a, s1.b, s2.r, s2.i, s2.a, s2.b)
			}
		}
	}
	return ""
}

// ogcInvalid returns why p (decoded tile coordinates) is not a valid OGC
// polygon, or "".
func ogcInvalid(p orb.Polygon) string {
	if err := sfconv.Polygon(p).Validate(); err != nil {
		return err.Error()
	}
	return ""
}

// asMultiPolygon returns a decoded tile feature's polygons, and false when
// it is not a polygon (a small grid's label point).
func asMultiPolygon(g orb.Geometry) (orb.MultiPolygon, bool) {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}, true
	case orb.MultiPolygon:
		return g, true
	}
	return nil, false
}
