package server_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/store"
)

// TestReady: /readyz is 200 while a version is served and the store can be
// read; 503 with a problem naming what is missing when the store's
// directory is gone or its ACTIVE file cannot be read, and again 200 once
// it is back; 503 no_version while no version is served. /healthz (alive)
// stays 200 throughout a store outage.
func TestReady(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	st, _, err := sampleStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	base, err := listen(ctx, catalog.Options{Store: st, Poll: -1, Uploads: t.TempDir()}, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	empty, err := store.OpenDir(filepath.Join(dir, "empty"))
	if err != nil {
		t.Fatal(err)
	}
	emptyBase, err := listen(ctx, catalog.Options{Store: empty, Poll: -1, Uploads: t.TempDir()}, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	storeDir := filepath.Join(dir, "store")
	active := filepath.Join(storeDir, "ACTIVE")
	mv := func(from, to string) func() {
		return func() {
			if err := os.Rename(from, to); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name   string
		before func()
		base   string
		want   int
		code   string // the problem's code
		health int
	}{
		{"served", nil, base, 200, "", 200},
		{"store directory renamed away", mv(storeDir, storeDir+".away"), base, 503, "not_ready", 200},
		{"store directory back", mv(storeDir+".away", storeDir), base, 200, "", 200},
		{"ACTIVE is a directory", func() {
			mv(active, active+".bak")()
			if err := os.Mkdir(active, 0o755); err != nil {
				t.Fatal(err)
			}
		}, base, 503, "not_ready", 200},
		{"ACTIVE back", func() {
			if err := os.Remove(active); err != nil {
				t.Fatal(err)
			}
			mv(active+".bak", active)()
		}, base, 200, "", 200},
		{"no version served", nil, emptyBase, 503, "no_version", 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			code, _, body := get(t, tt.base+"/readyz")
			if code != tt.want {
				t.Fatalf("readyz %d %s, want %d", code, body, tt.want)
			}
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			if tt.code != "" && !problemCode(m, tt.code) {
				t.Errorf("readyz %s, want code %s", body, tt.code)
			}
			if tt.code == "" && (m["status"] != "ready" || m["version"] != "v1") {
				t.Errorf("readyz %s, want ready with version v1", body)
			}
			if code, _, body := get(t, tt.base+"/healthz"); code != tt.health {
				t.Errorf("healthz %d %s, want %d", code, body, tt.health)
			}
		})
	}
}

// problemCode reports whether an error answer has code: a problem document
// ({"code": ...}) or the older {"error": {"code": ...}}.
func problemCode(m map[string]any, code string) bool {
	if m["code"] == code {
		return true
	}
	e, ok := m["error"].(map[string]any)
	return ok && e["code"] == code
}
