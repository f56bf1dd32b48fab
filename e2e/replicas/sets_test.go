package replicas

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/sample"
	"github.com/paulmach/orb/geojson"
)

// testLayers are the layers of the sample the test imports: small, so
// that a version is built in a fraction of a second and what is measured
// is the replicas' switch, not the build. GRIDMAP_REPLICAS_SAMPLE=all
// imports the whole sample instead (five layers; a switch then waits for
// each replica's build), to measure it.
var testLayers = []string{"county", "towns"}

func init() {
	if os.Getenv("GRIDMAP_REPLICAS_SAMPLE") == "all" {
		testLayers = sample.Layers
	}
}

// testSets writes the two inputs of the test's imports: the sample's
// county and towns, and the same with every town renamed.
func testSets(t *testing.T) [2]map[string]string {
	t.Helper()
	dir := t.TempDir()
	paths, err := sample.Extract(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, b := map[string]string{}, map[string]string{}
	for i, l := range sample.Layers {
		if slices.Contains(testLayers, l) {
			a[l], b[l] = paths[i], paths[i]
		}
	}
	b["towns"] = filepath.Join(dir, "towns-renamed.geojson")
	src, err := os.ReadFile(a["towns"])
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(src)
	if err != nil {
		t.Fatalf("%s: %v", a["towns"], err)
	}
	for _, f := range fc.Features {
		f.Properties["name"] = f.Properties.MustString("name", "") + "（更名）"
	}
	out, err := fc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b["towns"], out, 0o644); err != nil {
		t.Fatal(err)
	}
	return [2]map[string]string{a, b}
}

// nextSet returns the input of the next import: the other set than the
// last one's.
func (r *rig) nextSet() map[string]string {
	r.imports++
	return r.sets[r.imports%2]
}
