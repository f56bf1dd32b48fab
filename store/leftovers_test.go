package store_test

import (
	"bufio"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/store"
)

// TestSweepOnlyDead: the temporary version directory and pointer file of a
// live writer (another process holding their locks) survive an open; once
// that process is killed, the next open removes them.
func TestSweepOnlyDead(t *testing.T) {
	dir := t.TempDir()
	if _, err := store.OpenDir(dir); err != nil {
		t.Fatal(err)
	}
	holder, out := child(t, "hold", dir, "")
	sc := bufio.NewScanner(out)
	var held []string
	for len(held) < 2 && sc.Scan() {
		held = append(held, sc.Text())
	}
	if len(held) != 2 {
		holder.Process.Kill()
		holder.Wait()
		t.Fatalf("holder printed %v", held)
	}
	if _, err := store.OpenDir(dir); err != nil {
		t.Fatal(err)
	}
	for _, p := range held {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("live writer's %s swept: %v", filepath.Base(p), err)
		}
	}
	holder.Process.Kill()
	holder.Wait()
	if _, err := store.OpenDir(dir); err != nil {
		t.Fatal(err)
	}
	for _, p := range held {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("dead writer's %s not swept: %v", filepath.Base(p), err)
		}
	}
}

// TestActivateFailsAfterPublish: when Publish cannot activate the version it
// wrote (here the pointer's path is a directory, as good as a full disk),
// it removes that version, leaves the store as it was and says so.
func TestActivateFailsAfterPublish(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := store.OpenDir(dir)
	if _, err := s.Publish(ctx, sample(t, "one"), store.Meta{}, false); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "ACTIVE", "blocked"), 0o755); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	_, err := s.Publish(ctx, sample(t, "two"), store.Meta{}, true)
	if err == nil || !strings.Contains(err.Error(), "removed") {
		t.Fatalf("Publish = %v, want an error saying the version was removed", err)
	}
	if after := tree(t, dir); !reflect.DeepEqual(before, after) {
		t.Fatalf("store changed:\nbefore %v\nafter  %v", before, after)
	}
	list, err := s.List(ctx)
	if err != nil || len(list) != 1 || list[0].ID != "v1" {
		t.Fatalf("List = %v, %v; want v1 alone", list, err)
	}
}

// tree lists the paths under dir.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		out = append(out, strings.TrimPrefix(p, dir))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}
