package incidents_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/tiles"
	"github.com/gridmap/gridmap/tiles/incidents"
	"github.com/gridmap/gridmap/version"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// figures are a grid's counts as a test expects them.
type figures struct{ count, open, overdue int64 }

// finestAt returns the finest layer the boundary tiles of snap draw at z.
func finestAt(snap *version.Snapshot, z int) string {
	name := ""
	for _, lz := range snap.Tiles.Built().LayerZooms() {
		if lz.MinZoom <= z && z <= lz.MaxZoom {
			name = lz.Name
		}
	}
	return name
}

// passes reports whether inc passes f, by brute force.
func passes(inc incident.Incident, f incidents.Filter) bool {
	return (len(f.Statuses) == 0 || slices.Contains(f.Statuses, inc.Status)) &&
		(len(f.Categories) == 0 || slices.Contains(f.Categories, inc.Category))
}

// bruteCounts counts, per code of layer, the incidents passing f whose
// chain names it.
func bruteCounts(incs []incident.Incident, layer string, f incidents.Filter) map[string]figures {
	out := map[string]figures{}
	for _, inc := range incs {
		if !passes(inc, f) {
			continue
		}
		for _, l := range inc.Chain {
			if l.Layer != layer {
				continue
			}
			fg := out[l.Code]
			fg.count++
			if !inc.Status.Final() {
				fg.open++
			}
			if inc.Overdue {
				fg.overdue++
			}
			out[l.Code] = fg
		}
	}
	return out
}

// decode decodes an incident tile with orb, failing on anything but one
// layer named incidents of extent 4096.
func decode(t *testing.T, b []byte) []*mvtFeature {
	t.Helper()
	if b == nil {
		return nil
	}
	if len(b) == 0 {
		t.Fatal("empty tile is not nil")
	}
	ls, err := mvt.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 1 || ls[0].Name != incidents.LayerName || ls[0].Extent != incidents.Extent || ls[0].Version != 2 {
		t.Fatalf("layers %d, first %q extent %d version %d", len(ls), ls[0].Name, ls[0].Extent, ls[0].Version)
	}
	out := make([]*mvtFeature, len(ls[0].Features))
	for i, f := range ls[0].Features {
		pt, ok := f.Geometry.(orb.Point)
		if !ok {
			t.Fatalf("feature %d is a %T, not a point", i, f.Geometry)
		}
		out[i] = &mvtFeature{id: f.ID, at: pt, props: f.Properties}
	}
	return out
}

// num returns an integer property as orb decodes it (float64), -1 for
// anything else.
func num(v any) int64 {
	if f, ok := v.(float64); ok && f == math.Trunc(f) {
		return int64(f)
	}
	return -1
}

type mvtFeature struct {
	id    any
	at    orb.Point // tile coordinates
	props map[string]any
}

// near reports whether tile coordinates at are where point p (WGS84)
// falls in tile tl, to one unit of the extent, or to the source's
// precision (2^-32 of the world: 4 units at zoom 22) when that is coarser.
func near(at orb.Point, p orb.Point, tl maptile.Tile) bool {
	u := maptile.Fraction(p, tl.Z)
	tol := max(1, math.Exp2(float64(tl.Z)+12-32))
	return math.Abs(at[0]-(u[0]-float64(tl.X))*incidents.Extent) <= tol &&
		math.Abs(at[1]-(u[1]-float64(tl.Y))*incidents.Extent) <= tol
}

func TestAggregatedTiles(t *testing.T) {
	f := jiangyinFixture(t)
	const seed = 17
	t.Logf("seed %d", seed)
	incs := f.synth(t, seed, 1, 4000)
	src := filled(incidents.New(), incs)
	filters := []struct {
		name string
		f    incidents.Filter
	}{
		{"all", incidents.Filter{}},
		{"open statuses", incidents.Filter{Statuses: []incident.Status{incident.Reported, incident.Dispatched}}},
		{"one category", incidents.Filter{Categories: []string{"治安"}}},
		{"both", incidents.Filter{Statuses: []incident.Status{incident.Closed}, Categories: []string{"治安", "其他"}}},
		{"unknown category", incidents.Filter{Categories: []string{"no such"}}},
	}
	for _, fc := range filters {
		if pz := src.PointZoom(f.snap); pz != 15 {
			t.Fatalf("point zoom %d over Jiangyin, want 15 (micro grids start at 14)", pz)
		}
		for _, z := range []int{0, 8, 10, 11, 12, 13, 14} {
			layer := finestAt(f.snap, z)
			want := bruteCounts(incs, layer, fc.f)
			grids, labels := f.snap.Tiles.Built().Labels(layer)
			label := map[string]orb.Point{}
			for i, g := range grids {
				label[g.Code] = labels[i]
			}
			got := map[string]figures{}
			for _, tl := range f.snap.Tiles.Built().TilesOver(z) {
				b, _, err := src.TileAt(f.snap, z, int(tl.X), int(tl.Y), fc.f)
				if err != nil {
					t.Fatal(err)
				}
				for _, ft := range decode(t, b) {
					code, _ := ft.props["code"].(string)
					if ft.props["layer"] != layer || ft.props["name"] == nil {
						t.Fatalf("%s z%d %s: layer %v name %v, want layer %s", fc.name, z, code, ft.props["layer"], ft.props["name"], layer)
					}
					if _, dup := got[code]; dup {
						t.Fatalf("%s z%d: grid %s in two tiles", fc.name, z, code)
					}
					if ft.id != float64(tiles.FeatureID(layer, code)) {
						t.Errorf("%s z%d %s: id %v, want the boundary feature's %d", fc.name, z, code, ft.id, tiles.FeatureID(layer, code))
					}
					u := label[code]
					lx, ly := math.Floor(u[0]*math.Exp2(float64(z))), math.Floor(u[1]*math.Exp2(float64(z)))
					ax := (u[0]*math.Exp2(float64(z)) - lx) * incidents.Extent
					ay := (u[1]*math.Exp2(float64(z)) - ly) * incidents.Extent
					if lx != float64(tl.X) || ly != float64(tl.Y) || math.Abs(ft.at[0]-ax) > 1 || math.Abs(ft.at[1]-ay) > 1 {
						t.Errorf("%s z%d %s: at %v of tile %v, want the label point %v", fc.name, z, code, ft.at, tl, u)
					}
					got[code] = figures{num(ft.props["count"]), num(ft.props["open"]), num(ft.props["overdue"])}
				}
			}
			if len(got) != len(want) {
				t.Errorf("%s z%d (%s): %d grids drawn, %d have incidents", fc.name, z, layer, len(got), len(want))
			}
			total := int64(0)
			for code, w := range want {
				total += w.count
				if got[code] != w {
					t.Errorf("%s z%d %s: drawn %+v, brute force %+v", fc.name, z, code, got[code], w)
				}
			}
			if fc.name == "all" && total != int64(len(incs)) {
				t.Errorf("z%d: %d incidents counted in %s grids, %d put", z, total, layer, len(incs))
			}
		}
	}
}

func TestIncidentPoints(t *testing.T) {
	f := jiangyinFixture(t)
	const seed = 1717
	t.Logf("seed %d", seed)
	incs := f.synth(t, seed, 100, 6000)
	for _, o := range []incidents.Options{{}, {PointZoom: 12}} {
		src := filled(incidents.NewWith(o), incs)
		t.Run(fmt.Sprintf("point zoom %d", src.PointZoom(f.snap)), func(t *testing.T) { checkPoints(t, f, src, incs) })
	}
}

// checkPoints checks, from src's point zoom on, that each tile holds
// exactly the incidents in its bounds (every tile of the point zoom, the
// tiles of 200 incidents deeper), with their properties and places.
func checkPoints(t *testing.T, f fixture, src *incidents.Source, incs []incident.Incident) {
	byID := map[incident.ID]incident.Incident{}
	for _, inc := range incs {
		byID[inc.ID] = inc
	}
	tilesAt := func(z int) []maptile.Tile {
		if z == src.PointZoom(f.snap) {
			return f.snap.Tiles.Built().TilesOver(z) // every tile of the zoom
		}
		var out []maptile.Tile // the tiles of 200 incidents
		for _, inc := range incs[:200] {
			if tl := maptile.At(orb.Point{inc.Lon, inc.Lat}, maptile.Zoom(z)); !slices.Contains(out, tl) {
				out = append(out, tl)
			}
		}
		return out
	}
	for _, fc := range []incidents.Filter{{}, {Statuses: []incident.Status{incident.Handled, incident.Returned}, Categories: []string{"市容环境"}}} {
		for _, z := range []int{src.PointZoom(f.snap), 16, 18, tiles.MaxZoom} {
			if z == 18 && src.PointZoom(f.snap) < 14 {
				z = 13
			}
			drawn := 0
			for _, tl := range tilesAt(z) {
				var want []float64
				for _, inc := range incs {
					if passes(inc, fc) && maptile.At(orb.Point{inc.Lon, inc.Lat}, maptile.Zoom(z)) == tl {
						want = append(want, float64(inc.ID))
					}
				}
				b, _, err := src.TileAt(f.snap, z, int(tl.X), int(tl.Y), fc)
				if err != nil {
					t.Fatal(err)
				}
				var got []float64
				for _, ft := range decode(t, b) {
					id := ft.id.(float64)
					got = append(got, id)
					inc := byID[incident.ID(id)]
					if ft.props["id"] != id || ft.props["status"] != string(inc.Status) || ft.props["category"] != inc.Category ||
						ft.props["source"] != inc.Source || ft.props["overdue"] != inc.Overdue {
						t.Errorf("z%d incident %v: properties %v, put %+v", z, id, ft.props, inc)
					}
					if !near(ft.at, orb.Point{inc.Lon, inc.Lat}, tl) {
						t.Errorf("z%d incident %v: at %v in %v, put at %v, %v", z, id, ft.at, tl, inc.Lon, inc.Lat)
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%+v z%d tile %v: drawn %v, brute force %v", fc, z, tl, got, want)
				}
				drawn += len(got)
			}
			if drawn == 0 {
				t.Errorf("%+v z%d: no incident drawn", fc, z)
			}
		}
	}
}

func TestPutReplaces(t *testing.T) {
	f := jiangyinFixture(t)
	incs := f.synth(t, 3, 1, 50)
	src := filled(incidents.New(), incs)
	inc := incs[0]
	inc.Status, inc.Overdue = incident.Handling, false
	src.Put(inc)
	at := orb.Point{inc.Lon, inc.Lat}
	pt := maptile.At(at, 15)
	lo := maptile.At(at, 10)
	tileOf := func(tl maptile.Tile) ([]byte, uint64) {
		b, gen, err := src.TileAt(f.snap, int(tl.Z), int(tl.X), int(tl.Y), incidents.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return b, gen
	}
	p1, g1 := tileOf(pt)
	l1, _ := tileOf(lo)
	inc.Status, inc.Overdue = incident.Closed, true
	src.Put(inc)
	p2, g2 := tileOf(pt)
	l2, _ := tileOf(lo)
	if g1 == g2 || string(p1) == string(p2) || string(l1) == string(l2) {
		t.Fatalf("a status change left generation %d→%d, point tile changed %v, grid tile changed %v", g1, g2, string(p1) != string(p2), string(l1) != string(l2))
	}
	if src.Len() != len(incs) {
		t.Errorf("Len %d after replacing, want %d", src.Len(), len(incs))
	}
	for _, ft := range decode(t, p2) {
		if ft.id == float64(inc.ID) && (ft.props["status"] != "closed" || ft.props["overdue"] != true) {
			t.Errorf("replaced incident drawn with %v", ft.props)
		}
	}
	// moved: gone from its old tile, in its new one
	inc.Lon, inc.Lat = incs[1].Lon, incs[1].Lat
	src.Put(inc)
	has := func(tl maptile.Tile) bool {
		b, _ := tileOf(tl)
		for _, ft := range decode(t, b) {
			if ft.id == float64(inc.ID) {
				return true
			}
		}
		return false
	}
	if moved := maptile.At(orb.Point{inc.Lon, inc.Lat}, 15); moved != pt && (has(pt) || !has(moved)) {
		t.Errorf("after a move: in old tile %v, in new tile %v", has(pt), has(moved))
	}
}

func TestEmptyAndOutOfRange(t *testing.T) {
	f := jiangyinFixture(t)
	src := filled(incidents.New(), f.synth(t, 5, 1, 100))
	far := maptile.At(orb.Point{-70, -40}, 15)
	for _, tc := range []struct {
		name    string
		snap    *version.Snapshot
		z, x, y int
	}{
		{"points far away", f.snap, 15, int(far.X), int(far.Y)},
		{"grids far away", f.snap, 10, 0, 0},
		{"no snapshot", nil, 10, int(maptile.At(orb.Point{120.285, 31.905}, 10).X), int(maptile.At(orb.Point{120.285, 31.905}, 10).Y)},
	} {
		b, _, err := src.TileAt(tc.snap, tc.z, tc.x, tc.y, incidents.Filter{})
		if err != nil || b != nil {
			t.Errorf("%s: %d bytes, %v; want nil, nil", tc.name, len(b), err)
		}
	}
	for _, c := range [][3]int{{-1, 0, 0}, {tiles.MaxZoom + 1, 0, 0}, {3, 8, 0}, {3, 0, 8}, {3, -1, 0}} {
		if _, err := src.Tile(f.snap, c[0], c[1], c[2]); !errors.Is(err, tiles.ErrTileOutOfRange) {
			t.Errorf("tile %v: %v, want ErrTileOutOfRange", c, err)
		}
	}
}
