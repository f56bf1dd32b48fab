package gridtest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// NodeTile is one file as tiles/testdata/decode.mjs prints it: its layers
// as @mapbox/vector-tile (what the browser uses, independent of orb)
// decodes them.
type NodeTile struct {
	File   string               `json:"file"` // base name
	Layers map[string]NodeLayer `json:"layers"`
}

// NodeLayer is one layer of a NodeTile.
type NodeLayer struct {
	Version  int           `json:"version"`
	Extent   int           `json:"extent"`
	Features []NodeFeature `json:"features"`
}

// NodeFeature is one feature of a NodeLayer: id, geometry type (Point,
// LineString, Polygon), properties, the polygons as classifyRings groups
// the rings, each ring's point count and signed area (tile coordinates, y
// down), and a point feature's coordinates.
type NodeFeature struct {
	ID         *float64       `json:"id"`
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
	Polygons   int            `json:"polygons"`
	Rings      []struct {
		Points int     `json:"points"`
		Area   float64 `json:"area"`
	} `json:"rings"`
	Coords [][2]float64 `json:"coords"`
}

// NodeDecode decodes the tile files with tiles/testdata/decode.mjs, one
// NodeTile per file in order. It skips tb (fails it when CI=true) when node
// or the packages of tools/node are missing.
func NodeDecode(tb testing.TB, files ...string) []NodeTile {
	tb.Helper()
	missing := func(why string) {
		msg := why + "; run `npm ci --prefix tools/node`"
		if os.Getenv("CI") == "true" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not found")
	}
	root := repoRoot()
	if _, err := os.Stat(filepath.Join(root, "tools", "node", "node_modules", "@mapbox", "vector-tile", "package.json")); root == "" || err != nil {
		missing("tools/node/node_modules has no @mapbox/vector-tile")
	}
	cmd := exec.Command(node, append([]string{filepath.Join(root, "tiles", "testdata", "decode.mjs")}, files...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("node decode.mjs: %v", err)
	}
	var decoded []NodeTile
	if err := json.Unmarshal(out, &decoded); err != nil {
		tb.Fatalf("node output: %v", err)
	}
	if len(decoded) != len(files) {
		tb.Fatalf("node decoded %d files, want %d", len(decoded), len(files))
	}
	return decoded
}
