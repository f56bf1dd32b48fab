package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"github.com/gridmap/gridmap/catalog"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/importer"
	"github.com/gridmap/gridmap/internal/gridtest"
	"github.com/gridmap/gridmap/server"
	"github.com/gridmap/gridmap/store"
)

const adminToken = "test-admin-token"

var (
	adminOnce sync.Once
	adminURL  string
	adminDir  string // the extracted sample layers
	adminErr  error
)

// startAdmin runs a second real server, with its own store holding the
// bundled Jiangyin sample and an admin token, for the tests that import and
// activate; the shared server of start stays untouched.
func startAdmin(t *testing.T) string {
	t.Helper()
	adminOnce.Do(func() {
		ctx := context.Background()
		var st *store.Dir
		st, adminDir, adminErr = sampleStore(ctx, binaryDir("admin"))
		if adminErr != nil {
			return
		}
		adminURL, adminErr = listen(ctx, catalog.Options{Store: st, Poll: -1}, server.Options{AdminToken: adminToken})
	})
	if adminErr != nil {
		t.Fatal(adminErr)
	}
	return adminURL
}

func listen(ctx context.Context, co catalog.Options, o server.Options) (string, error) {
	srv, _, err := server.NewTestServer(ctx, co, o)
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go srv.Serve(ctx, ln)
	return "http://" + ln.Addr().String(), nil
}

// part is one part of a multipart body: a file when name is set.
type part struct{ field, name, value string }

func multipartBody(t *testing.T, parts ...part) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		if p.name == "" {
			w.WriteField(p.field, p.value)
			continue
		}
		fw, err := w.CreateFormFile(p.field, p.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, p.value)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

func post(t *testing.T, url, token, accept string, parts ...part) (int, http.Header, []byte) {
	t.Helper()
	body, ctype := multipartBody(t, parts...)
	req, _ := http.NewRequest(http.MethodPost, url, body)
	req.Header.Set("Content-Type", ctype)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func fileText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("%v", err)
	}
	return string(b)
}

type versionsAnswer struct {
	Active  string `json:"active"`
	Serving string `json:"serving"`
}

func versions(t *testing.T, base string) versionsAnswer {
	t.Helper()
	_, _, body := get(t, base+"/api/v1/versions")
	var v versionsAnswer
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return v
}

func TestImportAuth(t *testing.T) {
	base := startAdmin(t)
	good := part{"grids", "grids.geojson", `{"type":"FeatureCollection","features":[]}`}
	tests := []struct {
		name  string
		token string
		want  int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"bad token", "wrong", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, h, body := post(t, base+"/api/v1/imports", tt.token, "", good)
			if code != tt.want || !bytes.Contains(body, []byte(`"unauthorized"`)) || h.Get("WWW-Authenticate") == "" {
				t.Errorf("status %d %s, want %d", code, body, tt.want)
			}
			code, _, _ = post(t, base+"/api/v1/versions/v1/activate", tt.token, "")
			if code != tt.want {
				t.Errorf("activate: status %d, want %d", code, tt.want)
			}
		})
	}
	t.Run("no token configured", func(t *testing.T) {
		base := start(t) // the shared server has no admin token
		code, _, body := post(t, base+"/api/v1/imports", "anything", "", good)
		if code != http.StatusForbidden || !bytes.Contains(body, []byte("--admin-token")) || !bytes.Contains(body, []byte("GRIDMAP_ADMIN_TOKEN")) {
			t.Errorf("status %d %s, want 403 saying how to set a token", code, body)
		}
	})
}

func TestImportBadRequests(t *testing.T) {
	base := startAdmin(t)
	tests := []struct {
		name  string
		parts []part
		param string
		code  string
	}{
		{"no file", []part{{field: "merge", value: "true"}}, "file", "no_file"},
		{"bad merge", []part{{"grids", "g.geojson", "{}"}, {field: "merge", value: "perhaps"}}, "merge", "bad_parameter"},
		{"bad crs", []part{{"grids", "g.geojson", "{}"}, {field: "crs", value: "EPSG:3857"}}, "crs", "bad_parameter"},
		{"nan tolerance", []part{{"grids", "g.geojson", "{}"}, {field: "tolerance", value: "NaN"}}, "tolerance", "bad_parameter"},
		{"infinite tolerance", []part{{"grids", "g.geojson", "{}"}, {field: "tolerance", value: "+Inf"}}, "tolerance", "bad_parameter"},
		{"layer name with a path", []part{{"../../evil", "g.geojson", "{}"}}, "../../evil", "bad_parameter"},
		{"layer name with a dot", []part{{"grids.v2", "g.geojson", "{}"}}, "grids.v2", "bad_parameter"},
		{"reserved layer name", []part{{"labels", "g.geojson", "{}"}}, "labels", "bad_parameter"},
		{"file name over 255 bytes", []part{{"file", strings.Repeat("a", 300) + ".geojson", "{}"}}, "file", "bad_parameter"},
		{"unknown field", []part{{"grids", "g.geojson", "{}"}, {field: "dryrun", value: "true"}}, "dryrun", "unknown_parameter"},
		{"unknown field before the file", []part{{field: "merge", value: "true"}, {field: "tolerence", value: "1"}, {"grids", "g.geojson", "{}"}}, "tolerence", "unknown_parameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, h, body := post(t, base+"/api/v1/imports", adminToken, "", tt.parts...)
			e := server.MustProblem(t, http.StatusBadRequest, code, h, body)
			if e.Param != tt.param || e.Code != tt.code {
				t.Errorf("%s, want a 400 %s naming %s", body, tt.code, tt.param)
			}
		})
	}
}

// TestImportRejected: defective files come back with the report, and the
// active version stays.
func TestImportRejected(t *testing.T) {
	bad := gridtest.NeedShared(t, "bad")
	base := startAdmin(t)
	tests := []struct {
		file   string
		status int
		kind   string
	}{
		{"04_overlap.geojson", http.StatusUnprocessableEntity, "overlap"},
		{"13_truncated.geojson", http.StatusBadRequest, "json_syntax"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			before := versions(t, base)
			code, h, body := post(t, base+"/api/v1/imports", adminToken, "",
				part{"file", tt.file, fileText(t, filepath.Join(bad, tt.file))}, part{field: "merge", value: "true"})
			p := server.MustProblem(t, tt.status, code, h, body)
			var a struct {
				Active string           `json:"active"`
				Report *importer.Report `json:"report"`
			}
			if err := json.Unmarshal(body, &a); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			if p.Code != "import_rejected" || a.Report == nil || !a.Report.Has(tt.kind) {
				t.Fatalf("status %d %s, want %d with a %s report", code, body, tt.status, tt.kind)
			}
			for _, p := range a.Report.Problems {
				if p.File != "" && p.File != tt.file {
					t.Errorf("problem names file %q, want the uploaded name %q", p.File, tt.file)
				}
			}
			if after := versions(t, base); after != before || a.Active != before.Active {
				t.Errorf("versions %+v after a rejection, were %+v", after, before)
			}
			// streamed, the last line is the same problem document with
			// the status the plain request had
			_, _, body = post(t, base+"/api/v1/imports", adminToken, "application/x-ndjson",
				part{"file", tt.file, fileText(t, filepath.Join(bad, tt.file))}, part{field: "merge", value: "true"})
			lines := bytes.Split(bytes.TrimSpace(body), []byte("\n"))
			var last map[string]any
			if err := json.Unmarshal(lines[len(lines)-1], &last); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			if last["type"] != "urn:gridmap:problem:import_rejected" || last["http_status"] != float64(tt.status) ||
				last["status"] != float64(tt.status) || last["report"] == nil || last["instance"] != "/api/v1/imports" {
				t.Errorf("last streamed line %v, want the problem document of a %d", last, tt.status)
			}
		})
	}
}

// TestImportPublishes merges one renamed grid: 201 with the new version's
// manifest, and lookups name the new name at once; then activating the
// first version brings the old name back. A dry run streamed as NDJSON
// reports its stages and publishes nothing.
func TestImportPublishes(t *testing.T) {
	base := startAdmin(t)
	var fc struct {
		Type     string           `json:"type"`
		Features []map[string]any `json:"features"`
	}
	if err := json.Unmarshal([]byte(fileText(t, filepath.Join(adminDir, "grids.geojson"))), &fc); err != nil {
		t.Fatal(err)
	}
	var one []map[string]any
	for _, f := range fc.Features {
		if p := f["properties"].(map[string]any); p["code"] == "320281104205001" {
			p["name"] = "上东村第01网格（改）"
			one = append(one, f)
		}
	}
	fc.Features = one
	text, _ := json.Marshal(fc)
	const point = "/api/v1/lookup?lon=120.3515304&lat=31.6967919" // inside 320281104205001
	before := versions(t, base)

	t.Run("dry run, NDJSON progress", func(t *testing.T) {
		code, h, body := post(t, base+"/api/v1/imports", adminToken, "application/x-ndjson",
			part{"grids", "fix.geojson", string(text)}, part{field: "merge", value: "true"}, part{field: "dry_run", value: "true"})
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/x-ndjson") {
			t.Fatalf("status %d %s", code, h.Get("Content-Type"))
		}
		var lines []map[string]any
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			lines = append(lines, m)
		}
		stages := map[any]bool{}
		for _, l := range lines[:len(lines)-1] {
			stages[l["stage"]] = true
		}
		last := lines[len(lines)-1]
		if !stages["read"] || !stages["topology"] || !stages["done"] || last["status"] != "checked" || last["http_status"] != float64(200) {
			t.Errorf("stages %v, last %v", stages, last)
		}
		if !bytes.Contains(body, []byte(`"changed"`)) {
			t.Errorf("dry run without a diff: %s", lines[len(lines)-1])
		}
		if after := versions(t, base); after != before {
			t.Errorf("dry run changed versions: %+v", after)
		}
	})

	t.Run("publish", func(t *testing.T) {
		code, h, body := post(t, base+"/api/v1/imports", adminToken, "",
			part{"grids", "fix.geojson", string(text)}, part{field: "merge", value: "true"}, part{field: "who", value: "tester"})
		var m store.Manifest
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		if code != http.StatusCreated || m.ID == "" || m.ID == before.Active || m.Who != "tester" || len(m.Sources) != 1 || m.Sources[0].Name != "fix.geojson" || m.Sources[0].SHA256 == "" {
			t.Fatalf("status %d manifest %+v", code, m)
		}
		if h.Get("Location") != "/api/v1/versions/"+m.ID {
			t.Errorf("Location %q", h.Get("Location"))
		}
		if v := versions(t, base); v.Active != m.ID || v.Serving != m.ID {
			t.Errorf("versions %+v, want %s active and served", v, m.ID)
		}
		_, _, lb := get(t, base+point)
		var a lookupAnswer
		json.Unmarshal(lb, &a)
		if a.Version != m.ID || !bytes.Contains(lb, []byte("上东村第01网格（改）")) {
			t.Errorf("lookup after import: %s", lb)
		}
	})

	t.Run("activate back", func(t *testing.T) {
		code, _, body := post(t, base+"/api/v1/versions/"+before.Active+"/activate", adminToken, "")
		if code != 200 || !bytes.Contains(body, []byte(`"serving":"`+before.Active+`"`)) {
			t.Fatalf("status %d %s", code, body)
		}
		_, _, lb := get(t, base+point)
		if bytes.Contains(lb, []byte("（改）")) || !bytes.Contains(lb, []byte(`"version":"`+before.Active+`"`)) {
			t.Errorf("lookup after activate: %s", lb)
		}
		code, _, _ = post(t, base+"/api/v1/versions/v999/activate", adminToken, "")
		if code != http.StatusNotFound {
			t.Errorf("unknown version: status %d, want 404", code)
		}
	})
}
