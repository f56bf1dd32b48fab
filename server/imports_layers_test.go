package server_test

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportMultiLayerGPKG: an HTTP import of a GeoPackage of several
// layers (dry run) checks every layer under its own name when the part is
// "file"; a part named "NAME:LAYER" picks one, and a part naming a layer
// for the whole file is a 400 listing its layers.
func TestImportMultiLayerGPKG(t *testing.T) {
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Skip("ogr2ogr not installed (apt-get install gdal-bin)")
	}
	base := startAdmin(t)
	gpkg := filepath.Join(t.TempDir(), "jiangyin.gpkg")
	for i, l := range []string{"county", "towns"} {
		args := []string{"-f", "GPKG", "-nln", l, gpkg, filepath.Join(adminDir, l+".geojson")}
		if i > 0 {
			args = append([]string{"-update"}, args...)
		}
		if out, err := exec.Command("ogr2ogr", args...).CombinedOutput(); err != nil {
			t.Fatalf("make GeoPackage: %v %s", err, out)
		}
	}
	b, err := os.ReadFile(gpkg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		field  string
		status int
		want   []string // layers of the report's files, or words of the error
	}{
		{"file", http.StatusOK, []string{"county", "towns"}},
		{"root:county", http.StatusOK, []string{"root"}},
		{"towns", http.StatusBadRequest, []string{"holds 2 layers (county, towns)"}},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			code, _, body := post(t, base+"/api/v1/imports", adminToken, "",
				part{tt.field, "jiangyin.gpkg", string(b)}, part{field: "dry_run", value: "true"})
			if code != tt.status {
				t.Fatalf("status %d, want %d: %s", code, tt.status, body)
			}
			if code != http.StatusOK {
				for _, w := range tt.want {
					if !strings.Contains(string(body), w) {
						t.Errorf("%s lacks %q", body, w)
					}
				}
				return
			}
			var a struct {
				Report struct {
					Files []struct{ Layer string } `json:"files"`
				} `json:"report"`
			}
			json.Unmarshal(body, &a)
			var got []string
			for _, f := range a.Report.Files {
				got = append(got, f.Layer)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("layers %v, want %v: %s", got, tt.want, body)
			}
		})
	}
}
