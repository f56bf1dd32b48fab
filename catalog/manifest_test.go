package catalog_test

import (
	"context"
	"log"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/version"
)

// TestImportedIndexReadByOthers: the point index published by the process
// that imports a version (keyed by its manifest) is the one another
// process reads when it serves that version, not rebuilt because the
// importer's report reads back from the store in another form.
func TestImportedIndexReadByOthers(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 0, false)
	req := version.ImportRequest{Who: "test", Files: []version.File{{Layer: "towns", Path: filepath.Join("..", "importer", "testdata", "two_layers_parent.geojson")}}}
	res, err := f.cat.Import(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.log.String(), "published") {
		t.Fatalf("the importing catalog published no point index:\n%s", f.log)
	}
	var other strings.Builder
	cat, err := catalog.New(catalog.Options{Store: f.st, Uploads: filepath.Join(f.dir, "uploads"), Log: log.New(&syncWriter{b: &other}, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	if err := cat.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if got := cat.Current().Manifest.ID; got != res.Version.ID {
		t.Fatalf("serving %s, want %s", got, res.Version.ID)
	}
	if !strings.Contains(other.String(), "point index read from") {
		t.Errorf("another catalog rebuilt the point index of %s instead of reading it:\n%s", res.Version.ID, other.String())
	}
}
