package incidents_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/tiles/incidents"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// TestNodeDecoder decodes incident tiles with @mapbox/vector-tile (what the
// browser uses) and checks what it sees against what was put: at low zoom
// each grid's counts against a brute-force count, at high zoom each
// incident's properties and place.
func TestNodeDecoder(t *testing.T) {
	f := jiangyinFixture(t)
	incs := f.synth(t, 99, 1, 3000)
	src := filled(incidents.New(), incs)
	probe := orb.Point{incs[0].Lon, incs[0].Lat}
	dir := t.TempDir()
	var files []string
	zoomOf := map[string]maptile.Tile{}
	for _, z := range []int{8, 10, 12, 13, 14, 16} {
		tl := maptile.At(probe, maptile.Zoom(z))
		b, err := src.Tile(f.snap, z, int(tl.X), int(tl.Y))
		if err != nil || b == nil {
			t.Fatalf("z%d: %d bytes, %v", z, len(b), err)
		}
		name := fmt.Sprintf("%d-%d-%d.mvt", tl.Z, tl.X, tl.Y)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, filepath.Join(dir, name))
		zoomOf[name] = tl
	}
	decoded := gridtest.NodeDecode(t, files...)
	byID := map[float64]int{}
	for i, inc := range incs {
		byID[float64(inc.ID)] = i
	}
	checked := 0
	for _, nt := range decoded {
		tl := zoomOf[nt.File]
		l, ok := nt.Layers[incidents.LayerName]
		if len(nt.Layers) != 1 || !ok || l.Version != 2 || l.Extent != incidents.Extent {
			t.Fatalf("%s: layers %v", nt.File, nt.Layers)
		}
		var counts map[string]figures
		if int(tl.Z) < src.PointZoom(f.snap) {
			counts = bruteCounts(incs, finestAt(f.snap, int(tl.Z)), incidents.Filter{})
		}
		for _, nf := range l.Features {
			if nf.Type != "Point" || len(nf.Coords) != 1 || nf.ID == nil {
				t.Fatalf("%s: feature %v %s %v", nt.File, nf.ID, nf.Type, nf.Coords)
			}
			checked++
			at := orb.Point(nf.Coords[0])
			p := nf.Properties
			if counts != nil {
				w := counts[p["code"].(string)]
				if got := (figures{num(p["count"]), num(p["open"]), num(p["overdue"])}); got != w {
					t.Errorf("%s grid %v: node sees %+v, brute force %+v", nt.File, p["code"], got, w)
				}
				continue
			}
			inc := incs[byID[*nf.ID]]
			if p["id"] != *nf.ID || p["status"] != string(inc.Status) || p["category"] != inc.Category ||
				p["source"] != inc.Source || p["overdue"] != inc.Overdue || !near(at, orb.Point{inc.Lon, inc.Lat}, tl) {
				t.Errorf("%s: node sees %v at %v, put %+v", nt.File, p, at, inc)
			}
		}
	}
	t.Logf("%d tiles, %d features checked with @mapbox/vector-tile", len(decoded), checked)
}
