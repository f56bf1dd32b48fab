package incidents_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/tiles/incidents"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// nodeTile is one file as printed by ../testdata/decode.mjs (the boundary
// tiles' harness).
type nodeTile struct {
	File   string `json:"file"`
	Layers map[string]struct {
		Version  int `json:"version"`
		Extent   int `json:"extent"`
		Features []struct {
			ID         *float64       `json:"id"`
			Type       string         `json:"type"`
			Properties map[string]any `json:"properties"`
			Coords     [][2]float64   `json:"coords"`
		} `json:"features"`
	} `json:"layers"`
}

// needNode returns the node binary, skipping (failing on CI) when node or
// the packages of tools/node are missing.
func needNode(t *testing.T) string {
	t.Helper()
	missing := func(why string) {
		msg := why + "; run `npm ci --prefix tools/node`"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not found")
	}
	if _, err := os.Stat(filepath.Join("..", "..", "tools", "node", "node_modules", "@mapbox", "vector-tile", "package.json")); err != nil {
		missing("tools/node/node_modules has no @mapbox/vector-tile")
	}
	return node
}

// TestNodeDecoder decodes incident tiles with @mapbox/vector-tile (what the
// browser uses) and checks what it sees against what was put: at low zoom
// each grid's counts against a brute-force count, at high zoom each
// incident's properties and place.
func TestNodeDecoder(t *testing.T) {
	node := needNode(t)
	f := jiangyinFixture(t)
	incs := f.synth(t, 99, 1, 3000)
	src := incidents.New()
	for _, inc := range incs {
		src.Put(inc)
	}
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
	cmd := exec.Command(node, append([]string{filepath.Join("..", "testdata", "decode.mjs")}, files...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node decode.mjs: %v", err)
	}
	var decoded []nodeTile
	if err := json.Unmarshal(out, &decoded); err != nil {
		t.Fatalf("node output: %v", err)
	}
	if len(decoded) != len(files) {
		t.Fatalf("node decoded %d files, want %d", len(decoded), len(files))
	}
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
		if int(tl.Z) < src.PointZoom() {
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
