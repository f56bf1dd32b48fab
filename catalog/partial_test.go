package catalog_test

import (
	"context"
	"errors"
	"log"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/version"
)

// jinjiangFiles returns the five Jinjiang layers as import files, or
// skips t when the shared data is absent.
func jinjiangFiles(t *testing.T) []version.File {
	t.Helper()
	dir := gridtest.NeedShared(t, "jinjiang")
	var files []version.File
	for _, l := range []string{"county", "towns", "villages", "grids", "buildings"} {
		files = append(files, version.File{Layer: l, Path: filepath.Join(dir, l+".geojson")})
	}
	return files
}

// TestImportJinjiangPartial imports Jinjiang whole with its buildings
// declared partial, and checks that the version read back from the store
// by another catalog still says so.
func TestImportJinjiangPartial(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 0, false)
	req := version.ImportRequest{Files: jinjiangFiles(t), Who: "test"}
	req.Options.Partial = []string{"buildings"}
	res, err := f.cat.Import(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Report.(*importer.Report)
	if rep.Errors() != 0 || len(rep.Layers) != 5 {
		t.Fatalf("%d errors, %d layers, want 0 and 5\n%s", rep.Errors(), len(rep.Layers), rep.Text())
	}
	for _, l := range rep.Layers {
		if l.Partial != (l.Name == "buildings") {
			t.Errorf("report: layer %s partial = %v", l.Name, l.Partial)
		}
	}
	again, err := catalog.New(catalog.Options{Store: f.st, Uploads: filepath.Join(f.dir, "uploads"), Log: log.New(&syncWriter{b: f.log}, "", 0), PublishOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	d, m, err := again.Load(ctx, res.Version.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Layers) != 5 || !d.Layer("buildings").Partial || d.Layer("grids").Partial {
		t.Errorf("reloaded: %d layers, buildings partial %v, grids partial %v; want 5, true, false", len(d.Layers), d.Layer("buildings").Partial, d.Layer("grids").Partial)
	}
	sm, err := catalog.Detail(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range sm.Layers {
		if l.Partial != (l.Name == "buildings") {
			t.Errorf("manifest: layer %s partial = %v", l.Name, l.Partial)
		}
	}
	if got := len(d.Layer("buildings").Grids); got != 15414 {
		t.Errorf("reloaded %d buildings, want 15414", got)
	}
}

// TestImportPartialUnknown: a layer declared partial that is neither in
// the files nor in the active version is a request error of the option
// partial, and nothing is imported.
func TestImportPartialUnknown(t *testing.T) {
	f := newFixture(t, 1, true)
	req := version.ImportRequest{Files: []version.File{{Layer: "towns", Path: filepath.Join("..", "importer", "testdata", "two_layers_parent.geojson")}}}
	req.Options.Partial = []string{"buildings"}
	_, err := f.cat.Import(context.Background(), req)
	var re *version.RequestError
	if !errors.As(err, &re) || re.Option != "partial" || !strings.Contains(err.Error(), `"buildings"`) {
		t.Fatalf("err = %v, want a request error of option partial naming the layer", err)
	}
}
