package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/catalog"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/store"
)

// readyAnswer is the body of a 200 /readyz.
type readyAnswer struct {
	Status  string `json:"status"`
	Version string `json:"version"`
	Store   string `json:"store"`
	Writes  bool   `json:"writes"`
	Problem string `json:"problem"`
}

// TestReady: /readyz is 200 while a version is served, whatever the
// store's state (lookups never touch it), and says whether the store can be
// read and writes are taken; while the store directory is gone or its
// ACTIVE file cannot be read, it says store unreachable, writes false and
// why, a write (activation, import) is refused at once with 503
// store_unavailable and Retry-After, lookups and /healthz stay 200 and
// gridmap_store_up is 0; once the store is back all is as before. 503
// no_version while no version is served. Every answer is checked against
// the OpenAPI document.
func TestReady(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	st, _, err := sampleStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	opts := server.Options{Auth: server.AuthOptions{AdminToken: adminToken}}
	base, err := listen(ctx, catalog.Options{Store: st, Poll: -1, Uploads: t.TempDir()}, opts)
	if err != nil {
		t.Fatal(err)
	}
	empty, err := store.OpenDir(filepath.Join(dir, "empty"))
	if err != nil {
		t.Fatal(err)
	}
	emptyBase, err := listen(ctx, catalog.Options{Store: empty, Poll: -1, Uploads: t.TempDir()}, opts)
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
		want   int  // of /readyz
		writes bool // the store can be written
	}{
		{"served", nil, base, 200, true},
		{"store directory renamed away", mv(storeDir, storeDir+".away"), base, 200, false},
		{"store directory back", mv(storeDir+".away", storeDir), base, 200, true},
		{"ACTIVE is a directory", func() {
			mv(active, active+".bak")()
			if err := os.Mkdir(active, 0o755); err != nil {
				t.Fatal(err)
			}
		}, base, 200, false},
		{"ACTIVE back", func() {
			if err := os.Remove(active); err != nil {
				t.Fatal(err)
			}
			mv(active+".bak", active)()
		}, base, 200, true},
		{"no version served", nil, emptyBase, 503, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			code, body := checked(t, http.MethodGet, tt.base+"/readyz")
			if code != tt.want {
				t.Fatalf("readyz %d %s, want %d", code, body, tt.want)
			}
			if code == 503 {
				var m map[string]any
				if err := json.Unmarshal(body, &m); err != nil || !problemCode(m, "no_version") {
					t.Errorf("readyz %s, want code no_version (%v)", body, err)
				}
				return
			}
			var r readyAnswer
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			wantStore := map[bool]string{true: "ok", false: "unreachable"}[tt.writes]
			if r.Status != "ready" || r.Version != "v1" || r.Store != wantStore || r.Writes != tt.writes || (r.Problem == "") == !tt.writes {
				t.Errorf("readyz %s, want ready v1, store %s, writes %v", body, wantStore, tt.writes)
			}
			checkWrites(t, tt.base, tt.writes)
			for _, path := range []string{"/healthz", "/api/v1/lookup?lon=120.285&lat=31.905"} {
				if code, _, body := get(t, tt.base+path); code != 200 {
					t.Errorf("%s %d %s, want 200", path, code, body)
				}
			}
			up, ok := value(scrape(t, tt.base+"/metrics"), "gridmap_store_up")
			if want := map[bool]float64{true: 1, false: 0}[tt.writes]; !ok || up != want {
				t.Errorf("gridmap_store_up = %v (present %v), want %v", up, ok, want)
			}
		})
	}
}

// checkWrites activates the version served and posts an import (an empty
// form): refused with 503 store_unavailable and Retry-After when the store
// cannot be written, else taken (200, and 400 for the empty form).
func checkWrites(t *testing.T, base string, writable bool) {
	t.Helper()
	for path, ok := range map[string]int{"/api/v1/versions/v1/activate": 200, "/api/v1/imports": 400} {
		code, h, body := authPost(t, base+path)
		if writable {
			if code != ok {
				t.Errorf("POST %s %d %s, want %d", path, code, body, ok)
			}
			continue
		}
		p, err := server.ProblemOf(code, h, body)
		if code != 503 || err != nil || p.Code != "store_unavailable" || h.Get("Retry-After") == "" {
			t.Errorf("POST %s %d %s (Retry-After %q), want 503 store_unavailable with Retry-After (%v)", path, code, body, h.Get("Retry-After"), err)
		}
	}
}

// authPost sends an empty admin POST, checked against the document.
func authPost(t *testing.T, url string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(nil))
	req.Header.Set("Authorization", "Bearer "+adminToken)
	if filepath.Base(url) == "imports" {
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		req.Body = io.NopCloser(bytes.NewReader([]byte("--x--\r\n")))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	checkAnswer(t, req, resp, b, false)
	return resp.StatusCode, resp.Header, b
}

// checked sends a request without a body and checks its answer against the
// document.
func checked(t *testing.T, method, url string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	checkAnswer(t, req, resp, b, false)
	return resp.StatusCode, b
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
