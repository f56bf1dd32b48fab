package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/store"
	"github.com/paulmach/orb"
)

func square(x0, y0, s float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x0 + s, y0}, {x0 + s, y0 + s}, {x0, y0 + s}, {x0, y0}}}}
}

func sample(t *testing.T, name string) *geo.Dataset {
	t.Helper()
	root := geo.NewLayer("county", []*geo.Grid{{Code: "1", Name: name, Props: map[string]any{"code": "1", "households": 3.0}, Geom: square(120, 31, 2)}})
	kids := geo.NewLayer("towns", []*geo.Grid{
		{Code: "11", Parent: "1", Name: "a", Props: map[string]any{"code": "11"}, Geom: square(120, 31, 1)},
		{Code: "12", Parent: "1", Name: "b", Props: map[string]any{"code": "12"}, Geom: square(121, 31, 1)},
	})
	d, err := geo.NewDataset([]*geo.Layer{kids, root})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestPublishLoadActivate(t *testing.T) {
	ctx := context.Background()
	s, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Active(ctx); !errors.Is(err, store.ErrNoActive) {
		t.Fatalf("empty store: Active err = %v, want ErrNoActive", err)
	}
	m1, err := s.Publish(ctx, sample(t, "one"), store.Meta{Who: "test"}, true)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := s.Publish(ctx, sample(t, "two"), store.Meta{Who: "test"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if m1.ID != "v1" || m2.ID != "v2" {
		t.Fatalf("ids %s %s, want v1 v2", m1.ID, m2.ID)
	}
	if a, _ := s.Active(ctx); a != "v1" {
		t.Fatalf("active %s, want v1 (v2 published without activation)", a)
	}
	d, m, err := s.Load(ctx, "v1")
	if err != nil {
		t.Fatal(err)
	}
	if m.Who != "test" || len(m.Layers) != 2 || m.Layers[0].Name != "county" || m.Layers[1].Parent != "county" {
		t.Fatalf("manifest %+v", m)
	}
	want := sample(t, "one")
	for i, l := range want.Layers {
		got := d.Layers[i]
		if got.Name != l.Name || got.Parent != l.Parent || len(got.Grids) != len(l.Grids) {
			t.Fatalf("layer %d: got %s/%s/%d", i, got.Name, got.Parent, len(got.Grids))
		}
		for j, g := range l.Grids {
			if !reflect.DeepEqual(g, got.Grids[j]) {
				t.Fatalf("grid %s: got %+v want %+v", g.Code, got.Grids[j], g)
			}
		}
	}
	if err := s.Activate(ctx, "v2"); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Active(ctx); a != "v2" {
		t.Fatalf("active %s after activate v2", a)
	}
	list, err := s.List(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("list %v %v", list, err)
	}
}

func TestBadIDs(t *testing.T) {
	ctx := context.Background()
	s, _ := store.OpenDir(t.TempDir())
	for _, tc := range []struct {
		id   string
		want error
	}{
		{"", store.ErrBadID},
		{"../etc", store.ErrBadID},
		{"v0", store.ErrBadID},
		{"v1x", store.ErrBadID},
		{"v9", store.ErrNotFound},
	} {
		t.Run(tc.id, func(t *testing.T) {
			if err := s.Activate(ctx, tc.id); !errors.Is(err, tc.want) {
				t.Fatalf("Activate(%q) = %v, want %v", tc.id, err, tc.want)
			}
			if _, _, err := s.Load(ctx, tc.id); !errors.Is(err, tc.want) {
				t.Fatalf("Load(%q) = %v, want %v", tc.id, err, tc.want)
			}
		})
	}
}

// TestKilledPublish simulates a publish killed half way and an activation
// killed before its rename: their temporary directory and pointer file are
// left behind, unlocked; reopening sweeps both and the active version is
// unchanged.
func TestKilledPublish(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := store.OpenDir(dir)
	if _, err := s.Publish(ctx, sample(t, "one"), store.Meta{}, true); err != nil {
		t.Fatal(err)
	}
	half := filepath.Join(dir, "versions", ".tmp-12345")
	os.MkdirAll(half, 0o755)
	os.WriteFile(filepath.Join(half, "layers.bin"), []byte("partial"), 0o644)
	os.WriteFile(filepath.Join(dir, ".ACTIVE.999.tmp"), []byte("v2"), 0o644)
	s2, err := store.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{half, filepath.Join(dir, ".ACTIVE.999.tmp")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Fatalf("%s not swept: %v", filepath.Base(p), err)
		}
	}
	if a, _ := s2.Active(ctx); a != "v1" {
		t.Fatalf("active %q, want v1", a)
	}
	list, _ := s2.List(ctx)
	if len(list) != 1 {
		t.Fatalf("%d versions, want 1", len(list))
	}
	if _, _, err := s2.Load(ctx, "v1"); err != nil {
		t.Fatal(err)
	}
}
