package importer

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProjected4528 imports bad/12 (three grids in EPSG:4528 metres, no crs
// member) over Jiangyin, declared three ways, and wants every vertex within
// 1 m of the original grid of the same code.
func TestProjected4528(t *testing.T) {
	bad := badFile(t, "12_projected_4528.geojson")
	base := jiangyin(t)
	text, err := os.ReadFile(bad)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// Declared by a crs member (written after "features", which is legal).
	member := filepath.Join(dir, "member.geojson")
	withMember := strings.TrimSuffix(strings.TrimSpace(string(text)), "}") + `, "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4528"}}}`
	if err := os.WriteFile(member, []byte(withMember), 0o644); err != nil {
		t.Fatal(err)
	}
	// Declared by a .prj beside the file.
	prjFile := filepath.Join(dir, "prj.geojson")
	os.WriteFile(prjFile, text, 0o644)
	os.WriteFile(filepath.Join(dir, "prj.prj"), []byte(`PROJCS["CGCS2000_3_Degree_GK_Zone_40",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000"]]`), 0o644)
	// Written [northing, easting], EPSG's axis order for these systems.
	var fc map[string]any
	if err := json.Unmarshal(text, &fc); err != nil {
		t.Fatal(err)
	}
	var swap func(v any)
	swap = func(v any) {
		a, ok := v.([]any)
		if !ok {
			return
		}
		if len(a) == 2 {
			if x, ok := a[0].(float64); ok {
				a[0], a[1] = a[1], x
				return
			}
		}
		for _, e := range a {
			swap(e)
		}
	}
	for _, f := range fc["features"].([]any) {
		swap(f.(map[string]any)["geometry"].(map[string]any)["coordinates"])
	}
	northing := filepath.Join(dir, "northing.geojson")
	nb, _ := json.Marshal(fc)
	os.WriteFile(northing, nb, 0o644)
	tests := []struct {
		name   string
		path   string
		crs    string
		noBase bool // convert alone: no snapping onto base vertices
	}{
		{"option, alone", bad, "EPSG:4528", true},
		{"northing first", northing, "EPSG:4528", false},
		{"option", bad, "EPSG:4528", false},
		{"member", member, "", false},
		{"prj", prjFile, "", false},
	}
	orig := base.Layer("grids")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := Source{Layer: "grids", Path: tt.path}
			b := base
			if tt.noBase {
				b = nil
			}
			ds, rep, err := Import(context.Background(), []Source{src}, b, Options{Merge: !tt.noBase, CRS: tt.crs})
			if err != nil {
				t.Fatalf("%v\n%s", err, rep.Text())
			}
			for _, code := range []string{"320281104205001", "320281104205003", "320281104205006"} {
				got, want := ds.Layer("grids").Grid(code), orig.Grid(code)
				if got == nil || want == nil {
					t.Fatalf("grid %s missing", code)
				}
				worst := 0.0
				for pi, p := range got.Geom {
					for ri, r := range p {
						if len(r) != len(want.Geom[pi][ri]) {
							t.Fatalf("%s: ring %d/%d has %d vertices, want %d", code, pi, ri, len(r), len(want.Geom[pi][ri]))
						}
						for i, v := range r {
							worst = math.Max(worst, distM(v, want.Geom[pi][ri][i]))
						}
					}
				}
				t.Logf("%s: worst vertex %.6f m from the original", code, worst)
				if worst > 1 {
					t.Errorf("%s: a vertex is %.3f m from the original, want < 1 m", code, worst)
				}
			}
		})
	}
}

// TestProjectedMessage wants an undeclared projected file refused with the
// EPSG code it looks like and the ways to declare it; and a declared zone
// that does not match the eastings refused too.
func TestProjectedMessage(t *testing.T) {
	bad := Source{Layer: "grids", Path: badFile(t, "12_projected_4528.geojson")}
	base := jiangyin(t)
	_, rep, err := Import(context.Background(), []Source{bad}, base, Options{Merge: true})
	if err == nil {
		t.Fatal("undeclared projected file accepted")
	}
	var msg string
	for _, p := range rep.Problems {
		if p.Kind == KindProjected {
			msg = p.Message
		}
	}
	for _, want := range []string{"EPSG:4528", "--crs EPSG:4528", `"crs"`, ".prj"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
	_, rep, err = Import(context.Background(), []Source{bad}, base, Options{Merge: true, CRS: "EPSG:4529"})
	if err == nil || !rep.Has(KindProjected) {
		t.Fatalf("zone 41 accepted for zone-40 eastings: %v\n%s", err, rep.Text())
	}
}
