package tiles

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/paulmach/orb/maptile"
)

// jinjiangLayers are the Jinjiang files, coarse → fine; buildings is
// partial.
var jinjiangLayers = []string{"county", "towns", "villages", "grids", "buildings"}

var jinjiang builtSource

// jinjiangSource returns the Jinjiang dataset (../shared/data/jinjiang,
// skipping tb when it is absent) with its buildings declared partial, as
// `gridmap import --partial buildings` marks them, and its Source with
// default options, built once per test binary.
func jinjiangSource(tb testing.TB) (*geo.Dataset, *Source) {
	tb.Helper()
	gridtest.NeedShared(tb, "jinjiang", "buildings.geojson")
	return jinjiang.get(tb, "Jinjiang", func() *geo.Dataset {
		d := loadSet(tb, "jinjiang", jinjiangLayers...)
		d.Layer("buildings").Partial = true
		return d
	})
}

// TestJinjiangBuildingsEveryZoom decodes (orb) every tile over Jinjiang's
// buildings at every zoom from the building layer's first (z16, where the
// median building is 11 px and the smallest 5 px wide) to z18, past the
// last zoom with detail: every one of the 15,414 building codes is in the
// building layer of every zoom, as a polygon. It also checks that no tile
// of z12–z18 over the district, the dense centre (春熙路) included,
// reaches DefaultMaxTileBytes, and logs the densest tile of each zoom.
func TestJinjiangBuildingsEveryZoom(t *testing.T) {
	d, s := jinjiangSource(t)
	bl := d.Layer("buildings")
	first := layerByName(s, "buildings").minZoom
	if first != 16 {
		t.Errorf("buildings shown from z%d, want z16 (median 23 m at %g px)", first, float64(DefaultMinPartialPixels))
	}
	for z := 12; z <= 18; z++ {
		t.Run(fmt.Sprintf("z%d", z), func(t *testing.T) {
			seen, most, at := layerCodes(t, s, "buildings", d.Layers[0].Bound(), z)
			raw, err := s.Tile(z, int(at.X), int(at.Y))
			if err != nil {
				t.Fatal(err)
			}
			gz, err := Gzip(raw)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("z%d: %d buildings drawn; densest tile %d/%d/%d: %d bytes, %d gzipped", z, len(seen), at.Z, at.X, at.Y, most, len(gz))
			if most >= DefaultMaxTileBytes {
				t.Errorf("tile %d/%d/%d is %d bytes, over the %d byte cap", at.Z, at.X, at.Y, most, DefaultMaxTileBytes)
			}
			if z < first {
				if len(seen) > 0 {
					t.Errorf("%d buildings drawn below the layer's first zoom", len(seen))
				}
				return
			}
			missing := 0
			for _, g := range bl.Grids {
				if seen[g.Code] != "polygon" {
					if missing++; missing <= 5 {
						t.Errorf("building %s drawn as %q", g.Code, seen[g.Code])
					}
				}
			}
			if missing > 0 {
				t.Errorf("%d of %d buildings not drawn as polygons", missing, len(bl.Grids))
			}
		})
	}
}

// TestJinjiangBuildingsNodeDecoder decodes every non-empty tile of the
// building layer's first zoom with @mapbox/vector-tile (the browser's
// decoder, independent of orb and of the encoder): each building code is
// in it with its households, and every ring has an area.
func TestJinjiangBuildingsNodeDecoder(t *testing.T) {
	d, s := jinjiangSource(t)
	z := layerByName(s, "buildings").minZoom
	dir := t.TempDir()
	var files []string
	for _, tl := range tilesOver(d.Layer("buildings").Bound(), z) {
		raw, err := s.Tile(z, int(tl.X), int(tl.Y))
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) == 0 {
			continue
		}
		f := filepath.Join(dir, fmt.Sprintf("%d-%d-%d.mvt", z, tl.X, tl.Y))
		if err := os.WriteFile(f, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	households := map[string]any{}
	for _, g := range d.Layer("buildings").Grids {
		households[g.Code] = g.Props["households"]
	}
	seen := map[string]bool{}
	for _, nt := range gridtest.NodeDecode(t, files...) {
		for _, f := range nt.Layers["buildings"].Features {
			code, _ := f.Properties["code"].(string)
			if f.Type != "Polygon" || f.Polygons == 0 {
				t.Errorf("%s: building %s is a %s of %d polygons", nt.File, code, f.Type, f.Polygons)
			}
			for _, r := range f.Rings {
				if r.Area == 0 || r.Points < 4 {
					t.Errorf("%s: building %s has a ring of %d points, area %g", nt.File, code, r.Points, r.Area)
				}
			}
			if h := households[code]; h != nil && f.Properties["households"] != h {
				t.Errorf("%s: building %s households %v, want %v", nt.File, code, f.Properties["households"], h)
			}
			seen[code] = true
		}
	}
	for code := range households {
		if !seen[code] {
			t.Errorf("z%d: building %s in no tile", z, code)
		}
	}
	t.Logf("z%d: %d tiles, %d of %d buildings", z, len(files), len(seen), len(households))
}

// TestJinjiangBuildingGaps measures the building layer's gaps and
// overlaps over the 3×3 tiles around the densest tile of z16 and z17: the
// streets between buildings are outside the layer, not gaps.
func TestJinjiangBuildingGaps(t *testing.T) {
	_, s := jinjiangSource(t)
	l := layerByName(s, "buildings")
	outer := outline(l)
	for _, z := range []int{16, 17} {
		var c coverage
		for _, tl := range around(chunxilu, z) {
			if err := measureCoverage(s, l, outer, z, int(tl.X), int(tl.Y), &c); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("z%d: %d features, covered %.4g u², gap %.3g u², overlap %.3g u²", z, c.features, c.covered, c.gap, c.overlap)
		if c.features == 0 || c.worstGap > 1 || c.worstOverlap > 1 {
			t.Errorf("z%d: %d features, worst gap %g u², worst overlap %g u² (bound 1 u²)", z, c.features, c.worstGap, c.worstOverlap)
		}
	}
}

// chunxilu is in the densest building tile of z16 over Jinjiang (tile
// 16/51718/26902, by TestJinjiangBuildingsEveryZoom), by 春熙路 (lon, lat
// WGS84).
var chunxilu = maptile.New(51718, 26902, 16).Center()
