package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
)

// gm runs the CLI in process and returns its exit code, stdout and stderr.
func gm(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCLI(t *testing.T) {
	data := t.TempDir()
	// a first version from the bundled sample
	dir := t.TempDir()
	paths, err := sampleFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := gm(t, "", append([]string{"import", "--data", data}, paths...)...)
	if code != 0 || !strings.Contains(out, "published and activated version v1") || !strings.Contains(out, "microgrids") {
		t.Fatalf("import: %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = gm(t, "", "versions", "--data", data)
	if code != 0 || !strings.HasPrefix(out, "* v1") {
		t.Fatalf("versions: %d %s", code, out)
	}
	code, out, _ = gm(t, "", "lookup", "--data", data, "120.2596645", "31.8338531")
	if code != 0 || !strings.Contains(out, "320281004207001001") || !strings.Contains(out, "county") {
		t.Fatalf("lookup: %d %s", code, out)
	}
	code, out, _ = gm(t, "id,lon,lat\n2,120.2596645,31.8338531\nfar,0,0\n", "lookup", "--data", data, "-")
	want := "id,lon,lat,microgrids,grids,villages,towns,county\n2,120.2596645,31.8338531,320281004207001001,320281004207001,320281004207,320281004,320281\nfar,0,0,,,,,\n"
	if code != 0 || out != want {
		t.Fatalf("lookup -: %d\n%s", code, out)
	}
	// flags after the positional arguments, and a negative longitude
	code, out, _ = gm(t, "", "lookup", "-73.9", "40.7", "--data", data)
	if code != 0 || !strings.Contains(out, "in no grid") {
		t.Fatalf("lookup negative: %d %s", code, out)
	}
	// usage errors exit 2 and say what is wrong
	for _, args := range [][]string{{"lookup", "--data", data, "x", "y"}, {"lookup", "--data", data, "0x1p7", "31"}, {"lookup", "--data", data, "200", "1"}, {"lookup", "--data", data}, {"import", "--data", data}, {"nope"}, {"activate", "--data", data}} {
		if code, _, errs := gm(t, "", args...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
	if code, _, errs := gm(t, "id,lon,lat\n1,abc,2\n", "lookup", "--data", data, "-"); code != 1 || !strings.Contains(errs, "lon") {
		t.Errorf("bad csv: exit %d %q", code, errs)
	}
	if code, _, errs := gm(t, "", "activate", "--data", data, "v9"); code != 1 || !strings.Contains(errs, "not found") {
		t.Errorf("activate v9: exit %d %q", code, errs)
	}
	// a damaged version is built before it would be activated: refused,
	// and the active version stays
	if err := os.MkdirAll(filepath.Join(data, "versions", "v2"), 0o755); err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile(filepath.Join(data, "versions", "v1", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(data, "versions", "v2", "manifest.json"), bytes.Replace(manifest, []byte(`"v1"`), []byte(`"v2"`), 1), 0o644)
	os.WriteFile(filepath.Join(data, "versions", "v2", "layers.bin"), []byte("damaged"), 0o644)
	if code, _, errs := gm(t, "", "activate", "--data", data, "v2"); code != 1 || !strings.Contains(errs, "cannot be served") {
		t.Errorf("activate damaged v2: exit %d %q", code, errs)
	}
	if code, out, _ := gm(t, "", "versions", "--data", data); code != 0 || !strings.HasPrefix(out, "* v1") {
		t.Errorf("versions after the refused activation: %d %s", code, out)
	}
}

// TestImportRejectedKeepsActive imports broken files over the sample: each
// exits 1 naming the file, the feature and the problem, and v1 stays active.
func TestImportRejectedKeepsActive(t *testing.T) {
	bad := gridtest.NeedShared(t, "bad")
	data := t.TempDir()
	paths, err := sampleFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errs := gm(t, "", append([]string{"import", "--data", data}, paths...)...); code != 0 {
		t.Fatalf("%s %s", out, errs)
	}
	for _, tc := range []struct{ file, code, says string }{
		{"01_bowtie.geojson", "320281001021002", "self-intersect"},
		{"02_unclosed_ring.geojson", "320281111208003", "closed"},
		{"07_duplicate_code.geojson", "320281103214002", "duplicate"},
		{"09_unknown_parent.geojson", "320281400215001", "320281400999"},
		{"13_truncated.geojson", "", "JSON syntax error"},
		{"14_point_geometry.geojson", "320281112209004", "Point"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			code, _, errs := gm(t, "", "import", "--merge", "--data", data, filepath.Join(bad, tc.file))
			if code != 1 {
				t.Fatalf("exit %d", code)
			}
			for _, w := range []string{tc.file, tc.code, tc.says, "active version is unchanged"} {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr does not say %q:\n%s", w, errs)
				}
			}
			_, out, _ := gm(t, "", "versions", "--data", data)
			if !strings.HasPrefix(out, "* v1") || strings.Contains(out, "v2") {
				t.Errorf("versions after a rejected import:\n%s", out)
			}
		})
	}
}

// TestSynthDefaultSource: `gridmap synth` without --src starts from the
// bundled sample, wherever it runs (it looked for ../shared/data of one
// machine).
func TestSynthDefaultSource(t *testing.T) {
	t.Chdir(t.TempDir())
	out := filepath.Join(t.TempDir(), "province")
	code, stdout, errs := gm(t, "", "synth", "--copies", "2", "--out", out)
	if code != 0 || !strings.Contains(stdout, "wrote 2 copies of the bundled sample") {
		t.Fatalf("synth: %d\n%s\n%s", code, stdout, errs)
	}
	ents, err := os.ReadDir(out)
	if err != nil || len(ents) != 5 {
		t.Fatalf("%d files in %s, want 5 (%v)", len(ents), out, err)
	}
}

// TestImportMultiLayerFile: `gridmap import FILE.gpkg` imports every layer
// of a GeoPackage under its own name; NAME=FILE of it is refused naming its
// layers, and NAME=FILE:LAYER picks one.
func TestImportMultiLayerFile(t *testing.T) {
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Skip("ogr2ogr not installed (apt-get install gdal-bin)")
	}
	paths, err := sampleFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	gpkg := filepath.Join(t.TempDir(), "jiangyin.gpkg")
	for i, p := range paths[:3] { // county, towns, villages
		args := []string{"-f", "GPKG", "-nln", strings.TrimSuffix(filepath.Base(p), ".geojson"), gpkg, p}
		if i > 0 {
			args = append([]string{"-update"}, args...)
		}
		if out, err := exec.Command("ogr2ogr", args...).CombinedOutput(); err != nil {
			t.Fatalf("make GeoPackage: %v %s", err, out)
		}
	}
	data := t.TempDir()
	if code, _, errs := gm(t, "", "import", "--data", data, "towns="+gpkg); code == 0 || !strings.Contains(errs, "holds 3 layers (county, towns, villages)") {
		t.Errorf("NAME=FILE of 3 layers: exit %d, %s", code, errs)
	}
	code, out, errs := gm(t, "", "import", "--data", data, gpkg)
	if code != 0 || !strings.Contains(out, "villages") || !strings.Contains(out, "parent layer towns") {
		t.Fatalf("import every layer: %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = gm(t, "", "import", "--data", t.TempDir(), "root="+gpkg+":county")
	if code != 0 || !strings.Contains(out, "root ") || strings.Contains(out, "towns") {
		t.Errorf("NAME=FILE:LAYER: %d\n%s\n%s", code, out, errs)
	}
}
