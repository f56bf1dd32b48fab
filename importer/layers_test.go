package importer

import (
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/internal/gridtest"
)

// multiLayerGPKG writes the named Jiangyin layers, in the order given, into
// one GeoPackage (the usual delivery of a set of layers) with ogr2ogr, and
// returns its path.
func multiLayerGPKG(t *testing.T, layers ...string) string {
	t.Helper()
	needOGR(t)
	dir := gridtest.SetDir(t, "jiangyin")
	gpkg := filepath.Join(t.TempDir(), "jiangyin.gpkg")
	for _, l := range layers {
		args := []string{"-f", "GPKG", "-nln", l, gpkg, filepath.Join(dir, l+".geojson")}
		if l != layers[0] {
			args = append([]string{"-update"}, args...)
		}
		if out, err := exec.Command("ogr2ogr", args...).CombinedOutput(); err != nil {
			t.Fatalf("make GeoPackage: %v %s", err, out)
		}
	}
	return gpkg
}

// TestMultiLayerFile: a GeoPackage of several layers is imported layer by
// layer under their own names, in the parent order of the model whatever
// the file's order (ogr2ogr failed on it with "Layer 'towns' does not
// already exist"); FILE:LAYER and NAME=FILE:LAYER pick one layer; a layer
// name given to the whole file is refused, naming its layers.
func TestMultiLayerFile(t *testing.T) {
	gpkg := multiLayerGPKG(t, "villages", "county", "towns")
	names, err := FileLayers(context.Background(), gpkg, Options{})
	if err != nil || !slices.Equal(names, []string{"villages", "county", "towns"}) {
		t.Fatalf("FileLayers = %v, %v", names, err)
	}
	tests := []struct {
		name   string
		args   []string
		layers []string // coarse → fine; nil: refused
		grids  []int
		text   string // in the error of a refusal
	}{
		{"every layer", []string{gpkg}, []string{"county", "towns", "villages"}, []int{1, 17, 308}, ""},
		{"FILE:LAYER", []string{gpkg + ":county", gpkg + ":towns"}, []string{"county", "towns"}, []int{1, 17}, ""},
		{"NAME=FILE:LAYER", []string{"root=" + gpkg + ":county", "zhen=" + gpkg + ":towns"}, []string{"root", "zhen"}, []int{1, 17}, ""},
		{"NAME=FILE of several layers", []string{"towns=" + gpkg}, nil, nil, "holds 3 layers (villages, county, towns)"},
		{"unknown layer", []string{gpkg + ":nope"}, nil, nil, "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var srcs []Source
			for _, a := range tt.args {
				srcs = append(srcs, ParseSource(a))
			}
			ds, rep, err := Import(context.Background(), srcs, nil, Options{})
			if tt.layers == nil {
				text := ""
				if err != nil {
					text = err.Error()
				}
				if rep != nil {
					text += rep.Text()
				}
				if err == nil || !strings.Contains(text, tt.text) {
					t.Fatalf("err %v, report %s; want a refusal saying %q", err, text, tt.text)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, rep.Text())
			}
			var got []string
			var grids []int
			for _, l := range ds.Layers {
				got, grids = append(got, l.Name), append(grids, len(l.Grids))
			}
			if !slices.Equal(got, tt.layers) || !slices.Equal(grids, tt.grids) {
				t.Errorf("layers %v with %v grids, want %v with %v", got, grids, tt.layers, tt.grids)
			}
		})
	}
}

// TestExpandLayers: files of one layer, other formats, and files GDAL
// cannot list stay one source.
func TestExpandLayers(t *testing.T) {
	one := multiLayerGPKG(t, "towns")
	for _, src := range []Source{ParseSource(one), ParseSource("grids=" + one), ParseSource("x.geojson")} {
		got, err := ExpandLayers(context.Background(), src, Options{})
		if err != nil || len(got) != 1 || got[0] != src {
			t.Errorf("ExpandLayers(%+v) = %+v, %v; want it alone", src, got, err)
		}
	}
	// without GDAL the file stays one source, whose reading says so
	src := ParseSource(one)
	got, err := ExpandLayers(context.Background(), src, Options{OGR2OGR: filepath.Join(t.TempDir(), "ogr2ogr")})
	if err != nil || len(got) != 1 || got[0] != src {
		t.Errorf("without GDAL: %+v, %v", got, err)
	}
}
