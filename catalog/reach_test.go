package catalog_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/store"
	"github.com/gridmap/gridmap/version"
)

// TestStoreAway: while the store's directory is gone, the version held is
// still served, Ready, Writable and StoreErr say the store is unavailable,
// and an import and an activation fail with an error matching
// version.ErrUnavailable (and store.ErrUnreachable) that changes nothing;
// once the directory is back, writes are taken again and the log tells of
// both changes once each.
func TestStoreAway(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 1, true)
	if err := f.cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "towns.geojson")
	src, err := os.ReadFile(filepath.Join("..", "importer", "testdata", "two_layers_parent.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	imp := version.ImportRequest{Files: []version.File{{Layer: "towns", Path: file}}, Who: "test"}
	away := f.dir + ".away"
	if err := os.Rename(f.dir, away); err != nil {
		t.Fatal(err)
	}
	unavailable := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, version.ErrUnavailable) || !errors.Is(err, store.ErrUnreachable) {
			t.Errorf("%s: %v, want an error matching version.ErrUnavailable and store.ErrUnreachable", what, err)
		}
	}
	if f.cat.StoreErr() != nil {
		t.Errorf("StoreErr %v before any check", f.cat.StoreErr())
	}
	unavailable("Ready", f.cat.Ready(ctx))
	unavailable("StoreErr", f.cat.StoreErr())
	unavailable("Writable", f.cat.Writable(ctx))
	_, err = f.cat.Import(ctx, imp)
	unavailable("Import", err)
	unavailable("Activate", f.cat.Activate(ctx, "v1"))
	if got := f.serving(); got != "v1" {
		t.Errorf("serving %q while the store is away, want v1", got)
	}
	if err := os.Rename(away, f.dir); err != nil {
		t.Fatal(err)
	}
	if err := f.cat.Writable(ctx); err != nil {
		t.Errorf("Writable %v with the store back", err)
	}
	if err := f.cat.StoreErr(); err != nil {
		t.Errorf("StoreErr %v with the store back", err)
	}
	res, err := f.cat.Import(ctx, imp)
	if err != nil || res.Version.ID != "v2" || f.serving() != "v2" {
		t.Errorf("import with the store back: %+v %v, serving %s; want v2", res, err, f.serving())
	}
	log := f.log.String()
	if strings.Count(log, "STORE UNREACHABLE") != 1 || strings.Count(log, "store reachable again") != 1 {
		t.Errorf("log tells of the outage %d and of the return %d times, want once each:\n%s",
			strings.Count(log, "STORE UNREACHABLE"), strings.Count(log, "store reachable again"), log)
	}
}
