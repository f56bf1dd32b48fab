package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/store"
)

// TestHealthDegraded: when the store's active version is damaged and the
// server falls back to an older one, /healthz says "degraded" (200: it
// still answers), names the active version and the damaged file, and
// "ok" again once a good version is active.
func TestHealthDegraded(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, _, err := sampleStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := st.Load(ctx, "v1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Publish(ctx, d, store.Meta{Who: "test"}, true); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "store", "versions", "v2", "layers.bin")
	if err := os.WriteFile(bin, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.New(catalog.Options{Store: st, Poll: -1, Uploads: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := cat.Start(ctx); err != nil {
		t.Fatalf("Start: %v (want the fallback to v1)", err)
	}
	srv, err := server.New(ctx, server.Options{Versions: cat})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	health := func() (int, map[string]string) {
		res, err := http.Get(ts.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body map[string]string
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, body
	}
	code, body := health()
	if code != http.StatusOK || body["status"] != "degraded" || body["version"] != "v1" || body["active"] != "v2" {
		t.Errorf("healthz %d %v, want 200 degraded, version v1, active v2", code, body)
	}
	if p := body["problem"]; p == "" || !strings.Contains(p, "layers.bin") {
		t.Errorf("problem %q does not name layers.bin", p)
	}
	if err := cat.Activate(ctx, "v1"); err != nil {
		t.Fatal(err)
	}
	if code, body := health(); code != http.StatusOK || body["status"] != "ok" || body["active"] != "" {
		t.Errorf("after activating v1: healthz %d %v, want 200 ok", code, body)
	}
}
