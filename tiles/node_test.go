package tiles

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// TestNodeDecoder decodes tiles with @mapbox/vector-tile (what the browser
// uses) and checks that it sees what orb's decoder sees: layers, ids,
// properties, geometry types, rings, their signed areas and how they group
// into polygons.
func TestNodeDecoder(t *testing.T) {
	_, s := jiangyinSource(t)
	var tiles []maptile.Tile
	for _, z := range []int{0, 8, 10, 12} {
		tiles = append(tiles, maptile.At(probe, maptile.Zoom(z)))
	}
	tiles = append(tiles, around(probe, 14)...)
	tiles = append(tiles, maptile.At(probe, 18))
	dir := t.TempDir()
	var files []string
	orbTiles := map[string]mvt.Layers{}
	for _, tl := range tiles {
		b, err := s.Tile(int(tl.Z), int(tl.X), int(tl.Y))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 {
			continue
		}
		name := fmt.Sprintf("%d-%d-%d.mvt", tl.Z, tl.X, tl.Y)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, filepath.Join(dir, name))
		if orbTiles[name], err = mvt.Unmarshal(b); err != nil {
			t.Fatal(err)
		}
	}
	decoded := gridtest.NodeDecode(t, files...)
	features, points := 0, 0
	for _, nt := range decoded {
		ot := orbTiles[nt.File]
		var names []string
		for name := range nt.Layers {
			names = append(names, name)
		}
		var orbNames []string
		for _, l := range ot {
			orbNames = append(orbNames, l.Name)
		}
		slices.Sort(names)
		slices.Sort(orbNames)
		if !slices.Equal(names, orbNames) {
			t.Errorf("%s: node layers %v, orb %v", nt.File, names, orbNames)
			continue
		}
		for _, ol := range ot {
			nl := nt.Layers[ol.Name]
			where := nt.File + " " + ol.Name
			if nl.Version != 2 || nl.Extent != int(ol.Extent) {
				t.Errorf("%s: node version %d extent %d", where, nl.Version, nl.Extent)
			}
			if len(nl.Features) != len(ol.Features) {
				t.Errorf("%s: node %d features, orb %d", where, len(nl.Features), len(ol.Features))
				continue
			}
			for i, of := range ol.Features {
				nf := nl.Features[i]
				features++
				code := of.Properties["code"]
				if nf.ID == nil || *nf.ID != of.ID.(float64) {
					t.Errorf("%s %v: node id %v, orb %v", where, code, nf.ID, of.ID)
				}
				if len(nf.Properties) != len(of.Properties) {
					t.Errorf("%s %v: node properties %v, orb %v", where, code, nf.Properties, of.Properties)
				}
				for k, v := range of.Properties {
					if n, ok := v.(int64); ok {
						v = float64(n)
					}
					if nf.Properties[k] != v {
						t.Errorf("%s %v: property %s: node %v, orb %v", where, code, k, nf.Properties[k], v)
					}
				}
				var mp orb.MultiPolygon
				switch g := of.Geometry.(type) {
				case orb.Polygon:
					mp = orb.MultiPolygon{g}
				case orb.MultiPolygon:
					mp = g
				case orb.Point:
					points++
					if nf.Type != "Point" || len(nf.Rings) != 1 || nf.Rings[0].Points != 1 {
						t.Errorf("%s %v: node %s %v, orb a point", where, code, nf.Type, nf.Rings)
					}
					continue
				}
				if nf.Type != "Polygon" || nf.Polygons != len(mp) {
					t.Errorf("%s %v: node %s of %d polygons, orb %d", where, code, nf.Type, nf.Polygons, len(mp))
				}
				var rings []orb.Ring
				for _, p := range mp {
					rings = append(rings, p...)
				}
				if len(nf.Rings) != len(rings) {
					t.Errorf("%s %v: node %d rings, orb %d", where, code, len(nf.Rings), len(rings))
					continue
				}
				for j, r := range rings {
					if nr := nf.Rings[j]; nr.Points != len(r) || nr.Area != area2(r)/2 {
						t.Errorf("%s %v ring %d: node %d points area %g, orb %d points area %g", where, code, j, nr.Points, nr.Area, len(r), area2(r)/2)
					}
				}
				if nf.Rings[0].Area <= 0 {
					t.Errorf("%s %v: first ring area %g, want > 0 (outer)", where, code, nf.Rings[0].Area)
				}
			}
		}
	}
	t.Logf("%d tiles, %d features (%d points) agree between orb and @mapbox/vector-tile", len(decoded), features, points)
	if points == 0 {
		t.Error("no point feature (labels) compared")
	}
}
